/*
 * Promela twin of models/futex/robust_mutex.fxp (glibc's robust mutex and the kernel's exit-time walk of the
 * robust list, seed 003), with SIGKILLs injected as futexcheck injects them, written step for step against
 * futexcheck's compiled model so that both tools explore the same state graph (bench/README.md maps every
 * step). ROUNDS = 1, PENDING = 1, LOCKS = 1, as in the library model's defaults.
 *
 *   spin -DN=3 -DKILLS=2 -a robust_mutex.pml        (also -DWAKE_FREE=0, -DASSUME=1 for the variants)
 *
 * A kill is a transition of the thread it hits, offered where futexcheck offers it: at every user-mode step
 * boundary (the thread then starts its exit path, its user-mode locals dead), and while the thread sleeps in
 * futex_wait's interruptible await (the kill is then pending: the sleep ends, and the syscall return starts
 * the exit path). Each is allowed while the budget `kills` lasts and the thread is not killed yet.
 *
 * Every control point is a label wN, N being futexcheck's program counter for it (node dist/cli/main.js check
 * models/futex/robust_mutex.fxp --dump-js), and every step is one atomic block ending in a goto to the next
 * control point, with the branches futexcheck merges into the step written inside it. The state holds what
 * futexcheck's does, and nothing more: the user memory (mem, with the same values: TIDs, FUTEX_* bits,
 * addresses BASE + i), futex_key, the ghosts, the kill budget, and per thread its killed and pending-kill
 * flags and the locals live where it stands, every other local reset to 0 by the step that leaves it dead.
 * Branches use complementary guards, never `else`, so that no step depends on SPIN's own dead-variable
 * analysis (bench/README.md).
 */
#ifndef N
#define N 3
#endif
#ifndef KILLS
#define KILLS 2
#endif
#ifndef WAKE_FREE
#define WAKE_FREE 1
#endif
#ifndef ASSUME
#define ASSUME 0
#endif
#if N > 3
#error "robust_mutex: mem has list heads for MAXN = 3 threads"
#endif

#define FUTEX_WAITERS (-2147483647 - 1)   /* 0x80000000 as a 32-bit int */
#define FUTEX_OWNER_DIED 1073741824       /* 0x40000000 */
#define FUTEX_TID_MASK 1073741823         /* 0x3fffffff */
#define EOWNERDEAD 130
#define LIMIT 2
#define BASE 65536                        /* address of mem[0] */
#define H 2                               /* index of thread 0's robust list head */
#define MEM 8
#define NONE 0
#define WAKE 1
#define FAULT 2
#define TID (_pid + 1)
#define HEAD (BASE + H + 2 * _pid)        /* the exit path's `head` (a constant per thread) */
#define PENDING_SLOT (H + 2 * _pid + 1)   /* mem index of this thread's list_op_pending */

/* lock word mem[0], entry.next mem[1], head.next of thread t mem[H + 2t], its list_op_pending mem[H + 2t + 1]:
 * every list starts empty (head.next = &head) */
int mem[MEM] = { 0, 0, 65538, 0, 65540, 0, 65542, 0 };   /* BASE + H + 2t at H + 2t */
bit futex_key[3];                 /* 1: the thread sleeps on &mem[0] (futexcheck: an addr, null or &mem[0]) */
byte walked[3];                   /* ghost: list entries handled by each exit walk */
bit recovered;                    /* ghost */
bit stray_write;                  /* ghost */
byte kills;                       /* SIGKILLs sent so far */
/* Functions of the control points (so they add no states), kept for the invariant monitor: at(t, cs) and
 * exited(t). */
bit atcs[3];
bit gone[3];

/* A kill at a user-mode step boundary: the exit path starts, every user-mode local dead. */
#define KILL \
  :: atomic { killed == 0 && kills < KILLS -> kills++; killed = 1; assume = 0; old = 0; atcs[_pid] = 0; goto w104 }

/* futex_wake(&mem[0], 1)'s atomic block: every choice of the waiter, or nobody when none waits */
#define WAKE_ONE(next) \
  if \
  :: futex_key[0] == 1 -> futex_key[0] = 0; goto next \
  :: N > 1 && futex_key[1] == 1 -> futex_key[1] = 0; goto next \
  :: N > 2 && futex_key[2] == 1 -> futex_key[2] = 0; goto next \
  :: futex_key[0] == 0 && (N < 2 || futex_key[1] == 0) && (N < 3 || futex_key[2] == 0) -> goto next \
  fi

/* handle_futex_death(a, pending_op) up to its wake: sets todo to FAULT, WAKE or NONE */
#define FUTEX_DEATH(a, pop) \
  if \
  :: (a) < BASE || (a) >= BASE + MEM -> todo = FAULT \
  :: (a) >= BASE && (a) < BASE + MEM && WAKE_FREE == 1 && pop && mem[(a) - BASE] == 0 -> todo = WAKE \
  :: (a) >= BASE && (a) < BASE + MEM && !(WAKE_FREE == 1 && pop && mem[(a) - BASE] == 0) && \
     (mem[(a) - BASE] & FUTEX_TID_MASK) != TID -> todo = NONE \
  :: (a) >= BASE && (a) < BASE + MEM && !(WAKE_FREE == 1 && pop && mem[(a) - BASE] == 0) && \
     (mem[(a) - BASE] & FUTEX_TID_MASK) == TID -> \
     mem[(a) - BASE] = (mem[(a) - BASE] & FUTEX_WAITERS) | FUTEX_OWNER_DIED; \
     if \
     :: ((a) - BASE) % 2 == 1 || (a) - BASE >= 2 -> stray_write = 1 \
     :: ((a) - BASE) % 2 != 1 && (a) - BASE < 2 \
     fi; \
     if \
     :: (mem[(a) - BASE] & FUTEX_WAITERS) != 0 -> todo = WAKE \
     :: (mem[(a) - BASE] & FUTEX_WAITERS) == 0 -> todo = NONE \
     fi \
  fi

/* robust_lock's loop from `if (old == 0)`, with old != 0 (a failed cmpxchg): EOWNERDEAD takeover, mark the word
 * contended, or futex_wait (assume = FUTEX_WAITERS merged) */
#define RETRY \
  if \
  :: old == 0 -> goto w14 \
  :: old != 0 && (old & FUTEX_OWNER_DIED) != 0 -> goto w20 \
  :: old != 0 && (old & FUTEX_OWNER_DIED) == 0 && (old & FUTEX_WAITERS) == 0 -> goto w35 \
  :: old != 0 && (old & FUTEX_OWNER_DIED) == 0 && (old & FUTEX_WAITERS) != 0 -> assume = FUTEX_WAITERS; goto w43 \
  fi

/* after an entry: entry = next; limit--; the loop test, then list_op_pending (merged into the step before) */
#define NEXT_ENTRY \
  entry = next; next = 0; limit--; \
  if \
  :: limit != 0 && entry != HEAD -> goto w109 \
  :: (limit == 0 || entry == HEAD) && pending != 0 -> entry = 0; limit = 0; goto w162 \
  :: (limit == 0 || entry == HEAD) && pending == 0 -> entry = 0; limit = 0; goto w196 \
  fi

active [N] proctype worker() {
  int assume = ASSUME * FUTEX_WAITERS;   /* robust_lock's assume_other_futex_waiters */
  int old;                        /* robust_lock's old; futex_wait's val at w46 */
  bit killed;
  bit pendkill;                   /* a kill arrived while asleep in futex_wait */
  int entry, next, pending, todo; /* the exit path's locals */
  byte limit;

  /* initial state: robust_lock(0) entered, set_pending(&entry) about to store */
w9:                               /* set_pending: list_op_pending = &entry */
  if
  :: atomic { mem[PENDING_SLOT] = BASE + 1; goto w14 }
  KILL
  fi;
w14:                              /* old = cmpxchg(&mem[0], 0, tid | assume) and the branches after it */
  if
  :: atomic {
       old = mem[0];
       if
       :: old == 0 -> mem[0] = TID | assume; assume = 0; goto w61
       :: old != 0 -> RETRY
       fi
     }
  KILL
  fi;
w20:                              /* the owner died: v = cmpxchg(&mem[0], old, tid | (old & W) | assume) */
  if
  :: atomic {
       if
       :: mem[0] == old -> mem[0] = TID | (old & FUTEX_WAITERS) | assume; old = 0; assume = 0; goto w23
       :: mem[0] != old -> old = mem[0]; RETRY
       fi
     }
  KILL
  fi;
w23:                              /* enqueue_and_clear (EOWNERDEAD), return EOWNERDEAD: recovered = true */
  if
  :: atomic { mem[1] = mem[H + 2 * _pid]; mem[H + 2 * _pid] = BASE + 1; mem[PENDING_SLOT] = 0;
              recovered = 1; atcs[_pid] = 1; goto w72 }
  KILL
  fi;
w35:                              /* v = cmpxchg(&mem[0], old, old | FUTEX_WAITERS) */
  if
  :: atomic {
       if
       :: mem[0] == old -> mem[0] = old | FUTEX_WAITERS; old = old | FUTEX_WAITERS; assume = FUTEX_WAITERS; goto w43
       :: mem[0] != old -> old = mem[0]; RETRY
       fi
     }
  KILL
  fi;
w43:                              /* futex_wait(&mem[0], old): entry (the parameter stores merged) */
  if
  :: atomic { goto w46 }
  KILL
  fi;
w46:                              /* atomic { if (get_user(a) != val) return -EAGAIN; futex_key[self] = a; } */
  atomic {
    if
    :: mem[0] != old -> old = 0; goto w57
    :: mem[0] == old -> futex_key[_pid] = 1; old = 0; goto w50
    fi
  }
w50:                              /* await interruptible futex_key[self] == null; a kill here is made pending */
  if
  :: atomic { futex_key[_pid] == 0 || pendkill == 1 -> goto w51 }
  :: atomic { killed == 0 && kills < KILLS -> kills++; killed = 1; pendkill = 1; goto w50 }
  fi;
w51:                              /* if (futex_key[self] != null): interrupted */
  atomic {
    if
    :: futex_key[_pid] != 0 -> goto w52
    :: futex_key[_pid] == 0 -> goto w57
    fi
  }
w52:
  atomic { futex_key[_pid] = 0; goto w57 }      /* leave the queue; return -EINTR */
w57:                              /* syscall return: a pending kill starts the exit path; old = 0 and the loop */
  atomic {
    if
    :: pendkill == 1 -> pendkill = 0; assume = 0; goto w104
    :: pendkill == 0 -> goto w14
    fi
  }
w61:                              /* enqueue_and_clear, return 0 */
  if
  :: atomic { mem[1] = mem[H + 2 * _pid]; mem[H + 2 * _pid] = BASE + 1; mem[PENDING_SLOT] = 0;
              atcs[_pid] = 1; goto w72 }
  KILL
  fi;
w72:                              /* cs: skip */
  if
  :: atomic { atcs[_pid] = 0; goto w75 }
  KILL
  fi;
w75:                              /* pend_and_dequeue */
  if
  :: atomic { mem[H + 2 * _pid] = mem[1]; mem[1] = 0; mem[PENDING_SLOT] = BASE + 1; goto w81 }
  KILL
  fi;
w81:                              /* old = xchg(&mem[0], 0); if ((old & FUTEX_WAITERS) != 0) */
  if
  :: atomic {
       if
       :: (mem[0] & FUTEX_WAITERS) != 0 -> mem[0] = 0; goto w83
       :: (mem[0] & FUTEX_WAITERS) == 0 -> mem[0] = 0; goto w98
       fi
     }
  KILL
  fi;
w83:                              /* futex_wake(&mem[0], 1): entry */
  if
  :: atomic { goto w87 }
  KILL
  fi;
w87:
  atomic { WAKE_ONE(w94) }
w94:
  atomic { goto w98 }             /* syscall return (no kill can be pending here) */
w98:                              /* set_pending(0) */
  if
  :: atomic { mem[PENDING_SLOT] = 0; goto w103 }
  KILL
  fi;
w103:                             /* the end of the body: exit() enters the exit path */
  if
  :: atomic { goto w104 }
  KILL
  fi;
w104:                             /* exit_robust_list: read the head and list_op_pending */
  atomic {
    entry = mem[H + 2 * _pid];
    pending = mem[PENDING_SLOT];
    limit = LIMIT;
    if
    :: entry != HEAD -> goto w109
    :: entry == HEAD && pending != 0 -> entry = 0; limit = 0; goto w162
    :: entry == HEAD && pending == 0 -> entry = 0; limit = 0; goto w196
    fi
  }
w109:                             /* one list entry: fetch its next, handle it unless it is the pending one */
  atomic {
    if
    :: entry < BASE || entry >= BASE + MEM -> todo = FAULT
    :: entry >= BASE && entry < BASE + MEM ->
       next = mem[entry - BASE];
       todo = NONE;
       if
       :: entry != pending -> FUTEX_DEATH(entry - 1, 0)
       :: entry == pending
       fi
    fi;
    if
    :: walked[_pid] < 15 -> walked[_pid]++
    :: walked[_pid] >= 15
    fi;
    if
    :: todo == WAKE -> entry = 0; goto w144
    :: todo == FAULT -> entry = 0; next = 0; pending = 0; todo = 0; limit = 0; goto w153
    :: todo == NONE -> NEXT_ENTRY
    fi
  }
w144:                             /* futex_wake(&mem[entry - 1], 1) from the kernel: one atomic step */
  atomic { todo = 0; WAKE_ONE(w144_done); w144_done: NEXT_ENTRY }
w162:                             /* handle list_op_pending */
  atomic {
    FUTEX_DEATH(pending - 1, 1);
    pending = 0;
    if
    :: todo == WAKE -> todo = 0; goto w187
    :: todo != WAKE -> todo = 0; goto w196
    fi
  }
w187:
  atomic { WAKE_ONE(w196) }
w153:
w196:                             /* the exit path ends: the thread is gone */
  atomic { pendkill = 0; gone[_pid] = 1; goto end_gone }
end_gone:
  false                           /* a gone thread: a valid end state */
}

/* The invariants, checked in every state: this process can move only when one is violated.
 * mutual_exclusion, dead_owner_flagged, walk_bounded, kernel_writes_only_locks. */
#define DEAD_OWNER(t) (gone[t] && (mem[0] & FUTEX_TID_MASK) == t + 1)
active proctype invariants() {
end_watch:
  atomic {
    (atcs[0] + atcs[1] + atcs[2] > 1
     || DEAD_OWNER(0) || DEAD_OWNER(1) || (N > 2 && DEAD_OWNER(2))
     || walked[0] > LIMIT || walked[1] > LIMIT || walked[2] > LIMIT
     || stray_write
     || (recovered && 0)) -> assert(false)
  }
}
