/* A process is killed inside pthread_mutex_unlock of a process-shared robust mutex while another process sleeps
 * on it; is the sleeper woken? Two processes, or three with `steal`: a third process then spins on
 * pthread_mutex_trylock from the moment the unlock starts, takes the mutex as soon as the word is free, and
 * unlocks it. See README.md for what it shows on which libc and kernel.
 *
 * Each attempt: the holder locks; the waiter blocks in pthread_mutex_lock (we wait until it sleeps); the parent
 * sets `go` and at once sends SIGKILL to the holder, which spins a varying number of times after `go` and then
 * unlocks, so that the kill lands at varying points of the unlock. Outcomes:
 *   early   the holder died before entering unlock (the kernel marks the word OWNER_DIED; the waiter gets
 *           EOWNERDEAD);
 *   inside  it died inside pthread_mutex_unlock and the waiter got the lock anyway;
 *   late    it returned from pthread_mutex_unlock;
 *   LOST    it died inside pthread_mutex_unlock and the waiter still sleeps 500 ms later: a lost wake-up. A
 *           FUTEX_WAKE by hand then lets it go on, which shows it was asleep on the word and nothing else.
 * Usage: unlock_kill [SECONDS [steal]]   (default 10 s) — exit status 1 when a lost wake-up was seen, 0 when not. */
#include "repro.h"

enum { HOLDER = 0, WAITER = 1, STEALER = 2 };
enum { HOLDING = 1, IN_UNLOCK = 2, UNLOCKED = 3 };

int main(int argc, char **argv) {
  double limit = argc > 1 ? atof(argv[1]) : 10;
  int steal = argc > 2 && strcmp(argv[2], "steal") == 0;
  struct shared *s = map_shared();
  unsigned lo = 0, hi = 20000; /* the delay range, narrowed to where the kill lands inside the unlock */
  long early = 0, inside = 0, late = 0, attempts = 0;
  double end = seconds() + limit;
  srand(getpid());
  while (seconds() < end) {
    attempts++;
    reset_mutex(s);
    pid_t holder = fork();
    if (holder == 0) {
      pthread_mutex_lock(&s->m);
      s->phase[HOLDER] = HOLDING;
      while (!s->go) {
      }
      spin(s->delay);
      s->phase[HOLDER] = IN_UNLOCK;
      pthread_mutex_unlock(&s->m);
      s->phase[HOLDER] = UNLOCKED;
      for (;;) pause();
    }
    while (s->phase[HOLDER] != HOLDING) {
    }
    pid_t waiter = fork();
    if (waiter == 0) locker(s, WAITER);
    if (!sleeps(waiter)) { /* not asleep in the lock yet: try again */
      kill_and_reap(holder);
      kill_and_reap(waiter);
      continue;
    }
    pid_t stealer = steal ? fork() : -1;
    if (stealer == 0) {
      while (!s->go) {
      }
      while (pthread_mutex_trylock(&s->m) == EBUSY) {
      }
      s->got[STEALER] = 1;
      pthread_mutex_unlock(&s->m);
      _exit(0);
    }
    s->delay = lo + (unsigned)rand() % (hi - lo + 1);
    s->go = 1;
    kill_and_reap(holder);
    int phase = s->phase[HOLDER];
    if (phase == HOLDING) {
      early++;
      hi = s->delay > lo ? s->delay : lo; /* the kill came before the unlock: unlock sooner */
    } else if (phase == UNLOCKED) {
      late++;
      lo = s->delay < hi ? s->delay : hi; /* the unlock was over before the kill: unlock later */
    }
    if (stealer > 0 && !exits_within(stealer, 2000)) kill_and_reap(stealer);
    if (exits_within(waiter, 500)) {
      if (phase == IN_UNLOCK) inside++;
    } else {
      unsigned word = (unsigned)*lock_word(s);
      rescue(s);
      int freed = exits_within(waiter, 1000);
      printf("LOST WAKE-UP after %ld attempts (%s%s, holder killed %s): the waiter slept 500 ms on a word of "
             "0x%08x with its owner gone; %s\n",
             attempts, libc_name(), steal ? (s->got[STEALER] ? ", the stealer took and released the mutex" : ", the stealer did not get the mutex") : "",
             phase == IN_UNLOCK ? "inside pthread_mutex_unlock" : "outside the unlock", word,
             freed ? "a FUTEX_WAKE by hand released it" : "it did not wake even then");
      if (!freed) kill_and_reap(waiter);
      return 1;
    }
    if (hi - lo < 200) { /* keep some spread: the kill's latency varies */
      lo = lo > 1000 ? lo - 1000 : 0;
      hi += 1000;
    }
  }
  printf("no lost wake-up in %.0f s (%s%s): %ld attempts — killed before the unlock %ld, inside it %ld (the waiter "
         "was woken every time), after it %ld\n",
         limit, libc_name(), steal ? ", with a stealer" : "", attempts, early, inside, late);
  return 0;
}
