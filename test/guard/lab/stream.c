/*
 * Lab streaming reader: reads FILE sequentially with read(2) in 1 MiB chunks at RATE_MIB MiB/s for
 * SECONDS (a backup or log shipper: every page read once, through the page cache). Stops at EOF.
 * Logs "start <epoch_ms>" when it begins and "stream <epoch_ms> <mib_read>" at the end.
 * Usage: stream FILE RATE_MIB SECONDS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: stream FILE RATE_MIB SECONDS\n"); return 2; }
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) { perror(argv[1]); return 1; }
  double rate = atof(argv[2]), secs = atof(argv[3]);
  char *buf = malloc(1 << 20);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("start %lld\n", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
  fflush(stdout);
  double t0 = now_s();
  long mib = 0;
  while (now_s() - t0 < secs) {
    if (read(fd, buf, 1 << 20) <= 0) break;
    mib++;
    double due = t0 + mib / rate;
    double wait = due - now_s();
    if (wait > 0) usleep((useconds_t)(wait * 1e6));
  }
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("stream %lld %ld\n", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, mib);
  return 0;
}
