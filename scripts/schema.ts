/**
 * The JSON Schema of memtriage/analysis@1, generated from the TypeScript types (src/model/analysis.ts)
 * with ts-json-schema-generator. `npm run schema` writes it to schema/analysis.schema.json;
 * test/report/schema.test.ts checks the committed file is what this gives.
 *
 * One addition to the stock generator: the kernel incident union is not written out anywhere, it is
 * derived from the kinds' registry (`IncidentOf<(typeof KERNEL_KINDS)[number]>` in
 * src/parse/kernel/registry.ts), so that a new kind is one folder plus one registry line. The
 * generator reads types from their syntax and cannot evaluate that; here the type checker resolves
 * it to the incident interfaces, which the generator then reads as usual.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Context, createFormatter, createParser, createProgram, DEFAULT_CONFIG, SchemaGenerator, UnionType,
  type BaseType, type ChainNodeParser, type CompletedConfig, type NodeParser, type SubNodeParser,
} from 'ts-json-schema-generator';

type TsNode = Parameters<SubNodeParser['supportsNode']>[0];
type Program = ReturnType<typeof createProgram>;
type Checker = ReturnType<Program['getTypeChecker']>;

// The generator's own TypeScript (the project's tsc is a native build with no compiler API).
const req = createRequire(import.meta.url);
const ts = createRequire(req.resolve('ts-json-schema-generator'))('typescript') as { isTypeReferenceNode(n: TsNode): boolean };

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCHEMA_PATH = join(REPO_ROOT, 'schema', 'analysis.schema.json');

/** Type aliases the checker resolves: a union derived from a registry, each member an interface. */
const DERIVED_UNIONS = new Set(['IncidentOf']);

class DerivedUnionParser implements SubNodeParser {
  constructor(private readonly checker: Checker, private readonly child: NodeParser) {}

  supportsNode(node: TsNode): boolean {
    return ts.isTypeReferenceNode(node) && DERIVED_UNIONS.has((node as TsNode & { typeName: TsNode }).typeName.getText());
  }

  createType(node: TsNode): BaseType {
    const type = this.checker.getTypeFromTypeNode(node as never);
    const members = type.isUnion() ? type.types : [type];
    const decls = members.map((m) => {
      const d = m.getSymbol()?.declarations?.[0];
      if (!d) throw new Error(`schema: a member of ${node.getText()} has no declaration (${this.checker.typeToString(m)})`);
      return { name: m.getSymbol()!.getName(), d };
    });
    // Sorted by name, so the schema does not depend on the order the checker met the types in.
    decls.sort((a, b) => a.name.localeCompare(b.name));
    return new UnionType(decls.map((x) => this.child.createType(x.d, new Context())));
  }
}

/** The schema, as an object. */
export function generateSchema(): Record<string, unknown> {
  const config: CompletedConfig = { ...DEFAULT_CONFIG, path: join(REPO_ROOT, 'src', 'model', 'analysis.ts'), tsconfig: join(REPO_ROOT, 'tsconfig.json'), type: 'Analysis' };
  const program = createProgram(config);
  const parser = createParser(program, config, (chain) => chain.addNodeParser(new DerivedUnionParser(program.getTypeChecker(), chain as ChainNodeParser)));
  return new SchemaGenerator(program, parser, createFormatter(config), config).createSchema('Analysis') as unknown as Record<string, unknown>;
}

/** Keys sorted at every level, as the generator's CLI writes them. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
  return v;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_PATH, JSON.stringify(sorted(generateSchema()), null, 2));
  console.log(`wrote ${SCHEMA_PATH}`);
}
