/*
 * Lab anonymous-memory hog: grows by STEP_MIB every STEP_MS up to PLATEAU_MIB, then holds it,
 * re-touching one byte per page every second (so its pages stay hot and only file pages are left
 * to reclaim: with no swap, anonymous memory cannot be evicted). Logs on stdout:
 *   start <epoch_ms> <pid>    plateau <epoch_ms> <mib>
 * Usage: hog PLATEAU_MIB STEP_MIB STEP_MS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: hog PLATEAU_MIB STEP_MIB STEP_MS\n"); return 2; }
  int plateau = atoi(argv[1]), step = atoi(argv[2]), step_ms = atoi(argv[3]);
  long page = sysconf(_SC_PAGESIZE);
  char **chunks = calloc(plateau / step + 1, sizeof(char *));
  int n = 0;
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("start %lld %d\n", now_ms(), (int)getpid());
  for (int have = 0; have + step <= plateau; have += step) {
    chunks[n] = malloc((size_t)step << 20);
    memset(chunks[n], 1 + n, (size_t)step << 20);
    n++;
    usleep(step_ms * 1000);
  }
  printf("plateau %lld %d\n", now_ms(), n * step);
  for (;;) {
    for (int i = 0; i < n; i++)
      for (size_t off = 0; off < ((size_t)step << 20); off += page) chunks[i][off]++;
    sleep(1);
  }
}
