/*
 * Promela twin of models/futex/drepper_mutex2.fxp (Drepper, "Futexes Are Tricky", mutex 2), written step for
 * step against futexcheck's compiled model so that both tools explore the same state graph: every futexcheck
 * step is one Promela transition (a plain statement, or an atomic/d_step block), and the thread-local
 * instructions futexcheck merges into a step (the branches on c after a cmpxchg) sit inside that step's atomic
 * block. futex_wait and futex_wake follow models/lib/futex.fxp: a per-thread futex_key, the re-check and the
 * enqueue in one atomic step, and futex_wake exploring every choice of which waiter wakes.
 *
 * N (the number of threads) comes from the command line: spin -DN=4 -a drepper_mutex2.pml
 * bench/README.md maps every step to futexcheck's and compares the state counts.
 */
#ifndef N
#define N 3
#endif

byte val = 0;       /* the lock word: 0 unlocked, 1 locked, 2 locked with maybe waiters (int 0..2) */
bit futex_key[N];   /* futex_key[t] == 1: thread t sleeps on &val (in futexcheck: an addr, null or &val) */
byte ncs = 0;       /* ghost: threads at cs; a function of the control points, so it adds no state */

/* old = cmpxchg(&val, expect, new), inside an atomic block */
#define CMPXCHG(old, expect, new) \
  old = val; \
  if \
  :: old == expect -> val = new \
  :: old != expect \
  fi

/* futex_wait(&val, 2): the five steps of models/lib/futex.fxp's futex_wait on this path. Inlined at each call
 * site, as futexcheck inlines it, so each call site has its own control points. */
inline futex_wait_val_2() {
  skip;                                           /* step: syscall entry (user -> kernel) */
  if
  :: atomic { val != 2 }                          /* step: re-check fails: return -EAGAIN */
  :: atomic { val == 2 -> futex_key[_pid] = 1 }   /* step: re-check holds: enqueue */
     futex_key[_pid] == 0;                        /* step: await interruptible futex_key[self] == null */
     if                                           /* step: if (futex_key[self] != null): interrupted */
     :: futex_key[_pid] != 0 -> futex_key[_pid] = 0   /* needs a kill or a signal: none in this model */
     :: futex_key[_pid] == 0
     fi
  fi;
  skip                                            /* step: syscall return (kernel -> user) */
}

/* futex_wake(&val, 1): entry; one atomic step that wakes one waiter, every choice explored (one transition
 * per waiter), or none when no thread waits; return. */
#define WAKE(i) :: atomic { futex_key[i] == 1 -> futex_key[i] = 0 }
inline futex_wake_val_1() {
  skip;                                           /* step: syscall entry */
  if                                              /* step: the atomic block */
  WAKE(0)
#if N > 1
  WAKE(1)
#endif
#if N > 2
  WAKE(2)
#endif
#if N > 3
  WAKE(3)
#endif
#if N > 4
  WAKE(4)
#endif
#if N > 5
  WAKE(5)
#endif
#if N > 6
  WAKE(6)
#endif
#if N > 7
  WAKE(7)
#endif
#if N > 8
#error "futex_wake_val_1: add WAKE(i) lines for N > 8"
#endif
  :: else                                         /* no waiter: woken = 0 */
  fi;
  skip                                            /* step: syscall return */
}

/* Each thread takes the lock once, then exits. c is never live at a step boundary: SPIN's data-flow
 * optimisation resets it (to 0) on the transition that reads it last, as futexcheck resets dead locals at the
 * end of each step. So every branch on c uses complementary guards, never `else`: an `else` reads nothing and
 * would leave c's stale value in the state (2 to 3 times the states at 3 and 4 threads; bench/README.md).
 * Threads end blocked at end_gone instead of terminating: a terminated Promela process lingers until every
 * younger one is gone, and its removal is one more transition. */
active [N] proctype worker() {
  byte c;   /* int 0..2 */

  /* lock(): c = cmpxchg(&val, 0, 1); if (c != 0) { while (c != 0) { ... } } */
  atomic {
    CMPXCHG(c, 0, 1);
    if
    :: c == 0 -> ncs++; goto cs
    :: c == 1 -> goto try12
    :: c == 2 -> goto wait1
    fi
  }
wait1:                                            /* if (c == 2) futex_wait(&val, 2); */
  futex_wait_val_2();
  goto retry;
try12:                                            /* else { c = cmpxchg(&val, 1, 2); if (c != 0) futex_wait(&val, 2); } */
  atomic {
    CMPXCHG(c, 1, 2);
    if
    :: c == 0 -> goto retry
    :: c != 0 -> goto wait2
    fi
  }
wait2:
  futex_wait_val_2();
retry:                                            /* c = cmpxchg(&val, 0, 2); and the loop test */
  atomic {
    CMPXCHG(c, 0, 2);
    if
    :: c == 0 -> ncs++; goto cs
    :: c == 1 -> goto try12
    :: c == 2 -> goto wait1
    fi
  }
cs:                                               /* cs: skip; mutual exclusion checked here */
  atomic { assert(ncs == 1); ncs-- };
  /* unlock(): c = fetch_sub(&val, 1); if (c != 1) { val = 0; futex_wake(&val, 1); } */
  atomic {
    c = val;
    val = c - 1;
    if
    :: c == 1 -> goto exit_path
    :: c != 1
    fi
  }
  val = 0;
  futex_wake_val_1();
exit_path:
  skip;                                           /* step: end of the thread body: exit() enters the kernel */
  skip;                                           /* step: the exit path ends: the thread is gone */
end_gone:
  false                                           /* never executes: a gone thread, a valid end state */
}
