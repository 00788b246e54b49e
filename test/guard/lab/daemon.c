/*
 * Lab "daemon" for the guard's lab test and bench: maps FILES files of MIB_EACH MiB from DIR
 * (created if missing) and touches one byte of every page every INTERVAL_MS, like a daemon whose
 * code and data pages must stay resident. Each pass is logged on stdout as
 *   pass <epoch_ms> <pass_us>
 * so a storm (pages evicted and re-read on every pass) shows as pass times going from well under
 * a millisecond to hundreds of milliseconds. The files' cached pages are dropped at start
 * (POSIX_FADV_DONTNEED) so that they are faulted in, and charged, inside this process's cgroup.
 * Usage: daemon DIR FILES MIB_EACH INTERVAL_MS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long now_us(int clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv) {
  if (argc != 5) { fprintf(stderr, "usage: daemon DIR FILES MIB_EACH INTERVAL_MS\n"); return 2; }
  const char *dir = argv[1];
  int files = atoi(argv[2]);
  size_t len = (size_t)atoi(argv[3]) << 20;
  int interval_ms = atoi(argv[4]);
  long page = sysconf(_SC_PAGESIZE);
  volatile unsigned char **maps = calloc(files, sizeof(*maps));
  char path[4096], *block = malloc(1 << 20);
  for (int i = 0; i < (1 << 20); i++) block[i] = (char)(i * 31 + 7);
  for (int f = 0; f < files; f++) {
    snprintf(path, sizeof path, "%s/daemon-%d.bin", dir, f);
    struct stat st;
    if (stat(path, &st) != 0 || (size_t)st.st_size != len) {
      int w = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (w < 0) { perror(path); return 1; }
      for (size_t off = 0; off < len; off += 1 << 20) if (write(w, block, 1 << 20) != 1 << 20) { perror("write"); return 1; }
      fsync(w);
      close(w);
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) { perror(path); return 1; }
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    maps[f] = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    if (maps[f] == MAP_FAILED) { perror("mmap"); return 1; }
    close(fd);
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("ready %lld %d\n", now_us(CLOCK_REALTIME) / 1000, (int)getpid());
  unsigned long sum = 0;
  for (;;) {
    long long t0 = now_us(CLOCK_MONOTONIC);
    for (int f = 0; f < files; f++)
      for (size_t off = 0; off < len; off += page) sum += maps[f][off];
    long long took = now_us(CLOCK_MONOTONIC) - t0;
    printf("pass %lld %lld\n", now_us(CLOCK_REALTIME) / 1000, took);
    if (sum == 42) printf("!\n");
    usleep(interval_ms * 1000);
  }
}
