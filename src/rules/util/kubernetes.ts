import type { RuleContext } from '../types.js';

const KUBE = /kubepods|kubelet|kube-proxy|containerd-shim|\bcri-o\b|crio/;

/**
 * Does the input show a Kubernetes node (kubepods cgroups, kubelet or kube-proxy running)? Advice
 * about kube-reserved or pod limits only helps there; elsewhere it reads as noise at 3 am.
 */
export function showsKubernetes(ctx: RuleContext): boolean {
  // Asked once per finding by some rules: one pass over the incidents per analysis, not per finding.
  let known = SEEN.get(ctx.incidents);
  if (known === undefined) SEEN.set(ctx.incidents, (known = scan(ctx)));
  return known;
}

const SEEN = new WeakMap<RuleContext['incidents'], boolean>();

function scan(ctx: RuleContext): boolean {
  for (const inc of ctx.incidents) {
    if (inc.kind === 'oom_kill') {
      if (inc.memcg && KUBE.test(inc.memcg)) return true;
      if (inc.processTable?.all.some((r) => KUBE.test(r.comm))) return true;
    } else if (inc.kind === 'top_snapshot' || inc.kind === 'ps_snapshot') {
      if (inc.processes.some((p) => KUBE.test(p.command))) return true;
    } else if (inc.kind === 'pagecache_residency') {
      if (inc.files.some((f) => KUBE.test(f.path))) return true;
    }
  }
  return false;
}
