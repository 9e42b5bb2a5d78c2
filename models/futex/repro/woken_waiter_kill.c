/* The owner of a process-shared robust mutex dies holding it while two processes sleep on it; the kernel marks
 * the word FUTEX_OWNER_DIED and wakes one of them; that one is killed before it takes the mutex. Is the other
 * woken? Three processes. See README.md for what it shows on which libc and kernel.
 *
 * Each attempt: the owner locks; waiters 1 and 2 block in pthread_mutex_lock (we wait until both sleep); the
 * parent kills the owner, spins a varying time, and kills waiter 1. Outcomes:
 *   ok      waiter 2 got the mutex (EOWNERDEAD or not);
 *   LOST    waiter 2 still sleeps 500 ms later: a lost wake-up. A FUTEX_WAKE by hand then lets it go on.
 * Usage: woken_waiter_kill [SECONDS]   (default 10) — exit status 1 when a lost wake-up was seen, 0 when not. */
#include "repro.h"

enum { OWNER = 0, WAITER1 = 1, WAITER2 = 2 };

int main(int argc, char **argv) {
  double limit = argc > 1 ? atof(argv[1]) : 10;
  struct shared *s = map_shared();
  long attempts = 0, ok = 0;
  double end = seconds() + limit;
  srand(getpid());
  while (seconds() < end) {
    attempts++;
    reset_mutex(s);
    pid_t owner = fork();
    if (owner == 0) {
      pthread_mutex_lock(&s->m);
      s->phase[OWNER] = 1;
      for (;;) pause();
    }
    while (s->phase[OWNER] != 1) {
    }
    pid_t w1 = fork();
    if (w1 == 0) locker(s, WAITER1);
    pid_t w2 = fork();
    if (w2 == 0) locker(s, WAITER2);
    if (!sleeps(w1) || !sleeps(w2)) {
      kill_and_reap(owner);
      kill_and_reap(w1);
      kill_and_reap(w2);
      continue;
    }
    kill(owner, SIGKILL);
    spin((unsigned)rand() % 20000);
    kill(w1, SIGKILL);
    waitpid(owner, NULL, 0);
    waitpid(w1, NULL, 0);
    if (exits_within(w2, 500)) {
      ok++;
      continue;
    }
    unsigned word = (unsigned)*lock_word(s);
    rescue(s);
    int freed = exits_within(w2, 1000);
    printf("LOST WAKE-UP after %ld attempts (%s): the owner died holding the mutex, waiter 1 was killed %s, and "
           "waiter 2 slept 500 ms on a word of 0x%08x; %s\n",
           attempts, libc_name(), s->got[WAITER1] ? "after it had taken the mutex" : "before it took the mutex",
           word, freed ? "a FUTEX_WAKE by hand released it" : "it did not wake even then");
    if (!freed) kill_and_reap(w2);
    return 1;
  }
  printf("no lost wake-up in %.0f s (%s): %ld attempts, waiter 2 got the mutex in %ld\n", limit, libc_name(),
         attempts, ok);
  return 0;
}
