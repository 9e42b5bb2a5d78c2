/* Shared by the reproductions in this folder: a process-shared robust mutex in a MAP_SHARED mapping, processes
 * that lock it, a way to see that a process sleeps, and the rescue of a waiter whose wake-up was lost.
 * Header-only: each program is one `cc -pthread FILE.c` away. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FUTEX_WAKE_SHARED 1 /* FUTEX_WAKE without FUTEX_PRIVATE_FLAG (musl-gcc has no <linux/futex.h>) */

struct shared {
  pthread_mutex_t m;
  volatile int phase[4];       /* per process: where it is (each program says what the values mean) */
  volatile int got[4];         /* per process: 1 locked normally, 2 locked with EOWNERDEAD */
  volatile int go;             /* set by the parent to start the step it times */
  volatile unsigned delay;     /* spins between `go` and the timed call */
};

static struct shared *map_shared(void) {
  struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (s == MAP_FAILED) {
    perror("mmap");
    exit(2);
  }
  return s;
}

/* Re-initialise the mutex for a new attempt: process-shared and robust. */
static void reset_mutex(struct shared *s) {
  pthread_mutexattr_t a;
  memset((void *)s, 0, sizeof *s);
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  if (pthread_mutex_init(&s->m, &a) != 0) {
    fprintf(stderr, "pthread_mutex_init failed\n");
    exit(2);
  }
}

/* The futex word of the mutex: glibc's __data.__lock, musl's _m_lock (__u.__vi[1]). */
static volatile int *lock_word(struct shared *s) {
#ifdef __GLIBC__
  return (volatile int *)&s->m;
#else
  return (volatile int *)&s->m + 1;
#endif
}

static const char *libc_name(void) {
#ifdef __GLIBC__
  return "glibc";
#else
  return "musl";
#endif
}

/* Lock, note how, unlock, exit. */
static void locker(struct shared *s, int me) {
  int r = pthread_mutex_lock(&s->m);
  if (r == EOWNERDEAD) pthread_mutex_consistent(&s->m);
  s->got[me] = r == EOWNERDEAD ? 2 : 1;
  pthread_mutex_unlock(&s->m);
  _exit(0);
}

/* Whether `pid` settles into 'S' (interruptible sleep, in /proc/PID/stat) within two seconds: five checks in a
 * row, a millisecond apart. */
static int sleeps(pid_t pid) {
  int in_row = 0;
  for (int i = 0; i < 2000 && in_row < 5; i++) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    in_row = p && p[2] == 'S' ? in_row + 1 : 0;
    usleep(1000);
  }
  return in_row >= 5;
}

/* Whether `pid` has exited within `ms` milliseconds (reaped if so). */
static int exits_within(pid_t pid, int ms) {
  for (int i = 0; i < ms; i++) {
    if (waitpid(pid, NULL, WNOHANG) == pid) return 1;
    usleep(1000);
  }
  return 0;
}

/* Wake every waiter of the mutex's futex word by hand (a shared futex, as both libcs use for pshared). */
static void rescue(struct shared *s) {
  syscall(SYS_futex, lock_word(s), FUTEX_WAKE_SHARED, INT32_MAX, NULL, NULL, 0);
}

static void spin(unsigned n) {
  for (volatile unsigned i = 0; i < n; i++) {
  }
}

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
}
