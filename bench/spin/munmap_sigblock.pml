/*
 * Promela twin of models/exit/munmap_sigblock.fxp (seed 000's munmap trampoline with signals blocked), with
 * SIGKILLs and signals injected as futexcheck injects them, written step for step against futexcheck's compiled
 * model so that both tools explore the same state graph (bench/README.md maps every step).
 *
 *   spin -DTHREADS=2 -DKILLS=1 -DSIGNALS=1 -a munmap_sigblock.pml   (THREADS workers + main; EXEC = 0)
 *
 * The environment's faults are transitions of the thread they hit, offered at every control point where
 * futexcheck offers them (a user-mode step boundary, including inside the signal handler; this model has no
 * interruptible sleep): a kill while the budget `kills` lasts and the thread is not killed yet; a signal while
 * `signals` lasts, outside the handler and before the thread blocks signals. The handler is inlined at each
 * point where a signal can arrive, so that where it returns to is its control point (futexcheck's retPc).
 * Everything futexcheck keeps in a state is kept here, and nothing more: the budgets, each thread's killed
 * and signals-blocked flags and its cost counters, which outlive the thread, and the locals that are live
 * where the thread stands (the others are reset to 0 by the step that leaves them dead).
 */
#ifndef THREADS
#define THREADS 2
#endif
#ifndef STACKS
#define STACKS 1
#endif
#ifndef KILLS
#define KILLS 1
#endif
#ifndef SIGNALS
#define SIGNALS 1
#endif
#if STACKS > 2
#error "mmap_stack: add an option per stack for STACKS > 2"
#endif
#define NTHREADS (THREADS + 1)
#define MAIN THREADS

byte start[THREADS];               /* what clone() hands worker k: 1 + its stack */
bit has_mm[NTHREADS] = 1;          /* kernel: the thread still uses this memory map */
bit mapped[STACKS];                /* kernel: the stack is mapped */
byte stack_of[NTHREADS];           /* ghost (properties/stack_reuse.fxp) */
bit off_stack[NTHREADS];           /* ghost */
bit kernel_ref[NTHREADS];          /* ghost; never set by this design */
bit returned[NTHREADS];            /* ghost */
byte kills;                        /* SIGKILLs sent so far */
byte signals;                      /* signals sent so far */
/* Functions of the control points (so they add no states), kept for the invariant monitor:
 * in_user(t) and in_handler(t). */
bit inuser[NTHREADS] = 1;
bit inhandler[NTHREADS];

/* no_stack_reuse: at most one thread that can touch a given stack */
#define TOUCH(t) (kernel_ref[t] || (inuser[t] && (!off_stack[t] || inhandler[t])))
#define CLASH(a, b) (stack_of[a] != 0 && stack_of[a] == stack_of[b] && TOUCH(a) && TOUCH(b))

/* A kill in user mode: the thread leaves user mode (and its handler) and starts its exit path, its locals
 * dead there. */
#define KILL \
  :: atomic { killed == 0 && kills < KILLS -> \
       kills++; killed = 1; s = 0; inuser[_pid] = 0; inhandler[_pid] = 0; goto exit_mm }

/* A signal at a user-mode step boundary (outside the handler, signals not blocked): the handler starts;
 * HANDLER(ret) is its copy for this point: on_stack, then its return to `ret`. Each is a step, and a kill
 * may arrive before either. */
#define SIGNAL(h) \
  :: atomic { signals < SIGNALS && sigblk == 0 -> signals++; inhandler[_pid] = 1; goto h }
#define HANDLER(h, ret) \
h: \
  if \
  :: skip                                          /* step: on_stack: skip */ \
  KILL \
  fi; \
  if \
  :: atomic { inhandler[_pid] = 0; goto ret }      /* step: the handler returns */ \
  KILL \
  fi

#define COUNT(c) if :: c < 15 -> c++ :: c >= 15 fi   /* cost counters saturate at 15 */

active [THREADS] proctype worker() {
  byte s;                          /* int 0..STACKS-1 */
  bit killed;
  bit sigblk;                      /* signals blocked */
  byte exit_syscalls;              /* cost counters */
  byte munmaps;

born:                              /* born: atomic { await start[i] != 0; s = start[i] - 1; } */
  if
  :: atomic { start[_pid] != 0 -> s = start[_pid] - 1; goto block }
  KILL
  SIGNAL(h_born)
  fi;
  HANDLER(h_born, born);
block:                             /* block: block_all_signals(): entry (count merged) */
  if
  :: atomic { inuser[_pid] = 0; COUNT(exit_syscalls); goto blocking }
  KILL
  SIGNAL(h_block)
  fi;
  HANDLER(h_block, block);
blocking:
  sigblk = 1;                      /* step: block_signals() */
  inuser[_pid] = 1;                /* step: syscall return */
unmap:                             /* unmap: munmap(s): entry (counts merged) */
  if
  :: atomic { inuser[_pid] = 0; COUNT(exit_syscalls); COUNT(munmaps); goto unmapping }
  KILL                             /* signals are blocked from here on */
  fi;
unmapping:
  atomic { mapped[s] = 0; off_stack[_pid] = 1; returned[_pid] = 1; s = 0 };   /* step: the atomic block */
  inuser[_pid] = 1;                /* step: syscall return */
leave:                             /* leave: sys_exit(): entry, count, exit() into the exit path */
  if
  :: atomic { inuser[_pid] = 0; COUNT(exit_syscalls); goto exit_mm }
  KILL
  fi;
exit_mm:                           /* on exit: atomic { await created; mm = has_mm[self]; } if (mm) ... */
  atomic {
    start[_pid] != 0 ->
    if
    :: has_mm[_pid] == 1 -> goto mm_release
    :: has_mm[_pid] == 0 -> goto gone
    fi
  }
mm_release:
  has_mm[_pid] = 0;                /* step: mm_release() */
gone:
  skip;                            /* step: the exit path ends: the thread is gone */
end_gone:
  false                            /* a gone thread: a valid end state */
}

active proctype main() {
  byte k;                          /* int 0..THREADS */
  byte s;                          /* int 0..STACKS-1 */

take:                              /* take: s = mmap_stack(): entry */
  inuser[MAIN] = 0;
  if                               /* step: choose s where !mapped[s]; mapped[s] = true */
  :: atomic { mapped[0] == 0 -> mapped[0] = 1; s = 0 }
#if STACKS > 1
  :: atomic { mapped[1] == 0 -> mapped[1] = 1; s = 1 }
#endif
  fi;
  inuser[MAIN] = 1;                /* step: syscall return */
  inuser[MAIN] = 0;                /* step: clone(k, s): entry (the parameter stores merged) */
  atomic { start[k] = s + 1; stack_of[k] = s + 1; s = 0 };   /* step: put_user and the ghost */
  atomic {                         /* step: syscall return, k++ and the loop test merged */
    inuser[MAIN] = 1;
    k++;
    if
    :: k < THREADS -> goto take
    :: k >= THREADS -> k = 0
    fi
  }
  inuser[MAIN] = 0;                /* step: the end of the body: exit() enters the exit path */
  atomic {                         /* step: exit_mm (self >= THREADS: no wait) */
    if
    :: has_mm[MAIN] == 1 -> goto main_mm_release
    :: has_mm[MAIN] == 0 -> goto main_gone
    fi
  }
main_mm_release:
  has_mm[MAIN] = 0;
main_gone:
  skip;
end_gone:
  false
}

/* The invariant, checked in every state: this process can move only when it is violated. */
active proctype no_stack_reuse() {
end_watch:
  atomic {
    (CLASH(0, 1) || CLASH(0, 2) || CLASH(1, 2)
#if NTHREADS > 3
     || CLASH(0, 3) || CLASH(1, 3) || CLASH(2, 3)
#endif
#if NTHREADS > 4
     || CLASH(0, 4) || CLASH(1, 4) || CLASH(2, 4) || CLASH(3, 4)
#endif
#if NTHREADS > 5
#error "no_stack_reuse: add the pairs for more than 5 threads"
#endif
    ) -> assert(false)
  }
}
