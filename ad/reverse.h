/* The reverse mode's internal interface: what its files ask of one another,
 * and its own state (Reverse), kept apart from the context every mode
 * shares (Ad, in ad.h, the AD stage's interface to the driver).  This header
 * is included only by the files of the reverse sweep:
 *   adjoint.c     adjoint expressions: the chain rule
 *   tape.c        the tape, and slots saving overwritten values
 *   calls.c       calls on right sides kept in variables; reads taped where read
 *   sweep.c       the statement sweep (assignments, branches, loops), mutually recursive
 *   recompute.c   cheap loop-body values redone in the reverse sweep instead of taped
 *   checkpoint.c  checkpointed loops (binomial snapshots)
 *   prune.c       to-be-recorded and flow-sensitive pruning of saves, unused flags
 *   batch.c       one reservation for a run of tape pushes
 *   taped_reads.c which arrays are taped where read rather than saved where written
 *   first_stores.c first stores into fresh heap memory: 0 restored, nothing saved
 *   scoped_heap.c heap blocks a loop body allocates and frees, freed in the forward sweep
 *   reverse.c     the generated function, assembled */
#ifndef REVERSE_H
#define REVERSE_H

#include "ad.h"

/* A value the forward sweep saves before overwriting it, so the reverse
 * sweep can restore it; kept only if the reverse sweep reads it (TBR). */
typedef struct {
  Var *var;       /* the variable overwritten */
  Stmt *save;     /* in the forward sweep */
  Stmt *restore;  /* in the reverse sweep */
  Var *save_var;  /* outside loops: the local holding the value; else the tape */
  Var *var2;      /* a pointer's adjoint, saved with it */
  Var *save_var2;
  bool kept;      /* the reverse sweep reads what it restores */
  bool memory;    /* saves an array element (kept if the array's elements are read) */
  bool flow_needed; /* some reverse read between the last write and this one */
  bool flow_checked;
  Expr *unsaveable; /* a struct the tape cannot hold (a union in it): refused if kept */
  bool atomic;      /* saves before an `#pragma omp atomic` update: kept, its loop stays serial (omp.c) */
} Slot;

/* The reverse sweep's own state, beside the shared context `ad`. */
typedef struct {
  Ad *ad;
  Vec slots;           /* Slot* */
  Vec flushes;         /* Stmt*: copy local adjoints of scalar parameters out */
  Vec branches;        /* Branch*: every branch flag the forward sweep sets */
  int loop_depth;      /* > 0 while sweeping a loop body: saves go to the tape */
  Var *tape;           /* the vg_tape, once something uses it */
  Var *redo;           /* final values of the caller's memory, put back at the end */
  bool extents_ok;     /* a pointer parameter's restored memory is kept whole instead (tape.c) */
  Vec extent_roots;    /* Var*: those parameters */
  Vec extents;         /* Var*: their vg_extent, in the same order */
  int redo_kinds;      /* bit k: values of kind k (0 double, 1 float, 2 integer, ...: tape.c) */
  Var *arrays;         /* the arrays the forward sweep made */
  bool uses_checkpoint;
  Vec written_bases;   /* Var*: memory bases written anywhere in ad->f (recompute.c, once) */
  bool written_bases_known;
  Vec read_taped;      /* Var*: arrays whose elements are taped where read, not saved where written */
  Vec buffers;         /* Var*: adjoints of unselected parameters, in buffers of the function's own */
  Vec omp_loops;       /* OmpLoop*: `#pragma omp parallel for` loops under -fopenmp (omp.c) */
  Vec caller_buffered; /* Var*: local adjoints of written struct parameters, pointer members the caller's */
  PtrSet first_stores; /* Stmt*: first stores into fresh heap memory, restored to 0 (first_stores.c) */
  Vec scoped_blocks;   /* ScopedBlock*: heap blocks a loop body allocates and frees (scoped_heap.c) */
  PtrSet scoped_stmts; /* Stmt*: their allocations, frees and pointer assignments */
} Reverse;

/* A heap block one loop iteration allocates and frees (scoped_heap.c). */
typedef struct {
  Var *block;     /* h */
  Var *bytes;     /* its size, from the allocation to the free */
  Stmt *alloc, *release;
  Vec derived;    /* Stmt*: the pointers into it (`p = &h[k]`), in order */
  Vec vars;       /* Var*: h and those pointers */
  Stmt *push, *pop, *free_back; /* made by the sweep: the contents onto the tape, back, and freed again */
  Vec redo;       /* Stmt*: the reverse sweep's `p = &h[k]` */
} ScopedBlock;
void find_scoped_blocks(Reverse *rv);
/* The sweep of s if it is a scoped block's allocation, free or pointer into it. */
bool sweep_scoped(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev);
/* A block whose elements the reverse sweep (rev) never touches keeps only
 * its size on the tape, and the reverse sweep allocates its adjoint alone. */
void scoped_blocks_settle(Reverse *rv, Stmt *rev);

/* A `#pragma omp parallel for` loop under -fopenmp (omp.c): its forward
 * and reverse loops, made parallel once the sweeps are complete. */
typedef struct OmpLoop {
  OmpPragma *pragma;
  Stmt *fwd;           /* the forward sweep's for */
  Stmt *rev;           /* the reverse sweep's while over the same counter */
  Var *counter;
  int depth;           /* loops around it */
  const char *serial;  /* set: why the loop stays serial (warned) */
} OmpLoop;

void omp_note_loop(Reverse *rv, Stmt *s, Stmt *fwd, Stmt *rev);
void omp_parallel_loops(Reverse *rv, Stmt *body);
Var *omp_new_local(Ad *ad, Stmt *body, const char *base, Type *type); /* declared with the others at body's top */
Var *for_counter(const Stmt *s); /* the counter a for assigns in its init */

/* omp_buffers.c: a parallel reverse loop's sums into shared adjoint arrays
 * go to a buffer per thread, added to the array after the loop. */
typedef struct {
  Vec setup; /* Stmt*: before the parallel region (the spans of the indices) */
  Vec enter; /* Stmt*: in the region, before the loop (each thread's buffers) */
  Vec leave; /* Stmt*: in the region, after the loop (the buffers added and freed) */
  Vec priv;  /* Var*: private to each thread */
  Vec first; /* Var*: read in the loop (the spans' low ends): firstprivate */
  Var *alone; /* set before the region: it runs on one thread, which adds into the arrays directly */
} OmpBuffers;
/* Takes the sums it buffers out of atomics; false when it buffers none. */
bool omp_buffer_sums(Reverse *rv, OmpLoop *l, Stmt *body, Vec *atomics, OmpBuffers *out);

/* One contribution to the self-assignment's own adjoint (see propagate_self). */
typedef struct {
  bool negated;
  Expr *factor; /* NULL: 1 */
} Term;

/* Where and how propagate adds into the operands' adjoints. */
typedef struct {
  Vec *out;         /* the adjoint code is appended here */
  Var *core;        /* factor-first adjoints, core * factor (see split_core); NULL: plain */
  Var *self;        /* with core: contributions to this variable's own adjoint ... */
  Vec *self_terms;  /* ... are collected here (Term*), not emitted (see propagate_self) */
} Dest;

/* What the reverse sweep of one forward assignment reads, for the
 * flow-sensitive pruning of saves of floating-point scalars. */
typedef struct {
  Slot *slot;
  Vec reads; /* Var* */
} Reads;

/* A branch: `flag` remembers which way it went for the reverse sweep. */
typedef struct {
  Var *flag;
  Stmt *set;     /* flag = cond, in the forward sweep */
  Stmt *push;    /* inside loops: the flag onto the tape */
  Stmt *fwd_if;  /* the forward if, whose condition becomes the flag */
  Stmt *rev_if;
} Branch;

/* ad/adjoint.c */
Expr *adj_of(Expr *lv);
Expr *member_of(Expr *base, Member *m);
void emit(Vec *out, Expr *e);
/* ad/custom.c: the reverse of a call of g under custom_vjp(g): g's rule
 * called with ct_ret, and the gradients of its scalar arguments propagated, into out. */
void ad_custom_vjp(Ad *ad, Expr *call, Expr *ct_ret, Vec *out);
/* A statement `g(..., y, ...);` whose g writes its outputs y: their
 * regions saved and put back around the rule's call. */
void ad_custom_writer(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev);
void accumulate(Expr *target, Expr *adj, Vec *out);
void clear(Expr *target, Vec *out);
Dest into(Vec *out); /* plain adjoints into out */
Expr *share(Ad *ad, Expr *adj, Type *type, Dest to);
Expr *neg(Expr *a);
bool is_one(Expr *e);
void propagate(Ad *ad, Expr *e, Expr *adj, Dest to);

/* ad/batch.c */
void batch_tape_runs(Stmt *s, Var *tape);

/* ad/calls.c */
void cache_calls(Ad *ad, Expr *e, Vec *out);
Expr *find_call_kept_in(Expr *e, Var *v, bool companion);
void uncache_var(Expr *e, Var *v);
void tape_reads(Reverse *rv, Expr *e, Vec *out);
Expr *forward_copy(Expr *e, Expr *root);
bool expensive_call(Expr *call);
bool recomputed_in_reverse(Expr *rhs, Stmt *d);
void uncache(Expr *e);

/* ad/checkpoint.c */
void diff_checkpointed_loop(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev);

/* ad/prune.c */
void mark_needed(Stmt *s);
void mark_restore_reads(Stmt *s);
void find_first_stores(Reverse *rv);
void restore_zero(Slot *slot, Expr *lhs);
bool is_empty(Stmt *s);
void drop_empty_ifs(Stmt *s);
void drop_decl_of(Ad *ad, Var *v);
void drop_decls_of(Ad *ad, const PtrSet *vars);
void drop_unread_adjoint_pointers(Ad *ad, Stmt *fwd, Stmt *rev);
void drop_unread_recomputes(Ad *ad, Stmt *rev);
void keep_arrays(Expr *e, Vec *out);
void flow_tracked(Stmt *s, PtrSet *tracked);
void flow(Stmt *s, PtrSet *state, const PtrSet *tracked);

/* ad/recursion.c */
void diff_recursive_call(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev);
bool recursion_begin(Reverse *rv);
bool recursion_assemble(Reverse *rv, Vec *fwd, Vec *seed, Stmt *rev_block);

/* ad/recompute.c */
Vec find_recomputable(Reverse *rv, Stmt *loop, Var *counter);
void emit_recomputed(Vec *stmts, Vec *out);
void branch_recomputes(Stmt *branch, Vec *rev);

/* ad/sweep.c */
Expr *adj_pointer(Expr *e, Type *type);
void diff_assign(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev);
Stmt *reverse_loop(Stmt *s, Expr *start);
void diff_stmt(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev);

/* ad/tape.c */
/* The tape variable, declared on first use. */
Var *ad_tape(Reverse *rv);
Var *ad_redo(Reverse *rv);
Expr *ad_tape_push(Reverse *rv, Expr *value);
Expr *ad_tape_pop(Reverse *rv, Type *type);
Var *arrays_list(Reverse *rv);
Expr *tape_ref_of(Var *t);
/* the tape's stacks; a complex value is two items of F64 or F32 (vgrad_tape.h's _c64, _c32) */
enum { TAPE_F64, TAPE_I32, TAPE_PTR, TAPE_F32, TAPE_STACKS, TAPE_C64 = TAPE_STACKS, TAPE_C32 };
int tape_stack_of(Type *t);
int tape_storage(int stack); /* the stack a value's items are on (TAPE_C64: TAPE_F64) */
int tape_items(int stack);   /* and how many: 2 for a complex value, else 1 */
int tape_call_stack(const Expr *call);
Expr *tape_call(CallKind kind, const char *what, Type *type, Expr *ref, Expr *arg);
Expr *tape_stack_call(CallKind kind, const char *what, int stack, Type *type, Expr *ref, Expr *arg);
Expr *tape_ref(Reverse *rv);
bool plain_operand(Expr *e);
Expr *step_of(Expr *a, BinOp *op);
Slot *new_inverse_slot(Reverse *rv, Expr *a);
Stmt *redo_restore_loop(Reverse *rv, Loc loc);
void keep_extents(Reverse *rv, Stmt *fwd, Vec *keeps, Vec *put_backs);
void redo_part(Reverse *rv, Expr *part, Stmt *out);
Slot *new_slot(Reverse *rv, Expr *lhs);
/* Whether the memory lhs writes is the caller's, put back at the end (redo_part). */
bool restores_caller_memory(Reverse *rv, Expr *lhs);

/* ad/taped_reads.c */
void choose_read_taped(Reverse *rv);

#endif
