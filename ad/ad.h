/* The AD stage's interface, and the context every mode shares: one Ad
 * per pragma being differentiated. */
#ifndef AD_H
#define AD_H

#include "vgradcc.h"

#include <assert.h>

/* The context of one differentiation, whatever the mode: the program, the
 * derivative asked for, the normalised function, the generated function's
 * names and declarations, and failure.  A mode keeps its own state beside
 * it (the reverse sweep's is Reverse, in reverse.h) and passes this to what
 * the modes share: selection, normalisation and names, activity, the math
 * table. */
typedef struct {
  Program *prog;
  Derivative *deriv;
  Func *f;             /* the normalised copy of the primal */
  Var *loss;           /* loss(p): that parameter of f; NULL when the loss is returned */
  Var *loss_root;      /* loss(E) with E a path (model->mean_loss, out[3]): E's parameter in f */
  Var *result;         /* holds the return value; NULL for void */
  Var *returned;       /* set by a non-tail return; NULL if none */
  NameSet names;       /* every name declared in the generated function */
  NameSet next_suffix; /* base name -> the next _k ad_fresh_name tries (0: 2) */
  Vec name_log;        /* the names of `names` in the order taken, for ad_names_rollback */
  Vec decls;           /* Stmt*: declarations at the top of the generated function */
  Vec written_globals; /* Var*: globals the function writes (globals.c): final values kept */
  struct RecPair *split; /* differentiating a recursive function as its forward and reverse functions */
  Vec shared_bases;    /* SharedBase*: the arrays each pointer that moves between arrays may point into */
  const char **cotangent_names; /* vjp: ct_ret when f returns a value, then ct_y for each output */
  const Expr *statement_call; /* normalize.c: the call a statement makes, being checked */
  bool failed;         /* an error was reported (vgradcc.h, "stages") */
} Ad;

/* Arrays one pointer variable may point into (normalize.c): the first
 * stands for all in the analyses, and all have a gradient or none. */
typedef struct {
  Var *pointer;        /* the first pointer found moving between them, for messages */
  Loc loc;             /* an assignment of it that points it into another array */
  Vec members;         /* Var*: the arrays, parameters and heap blocks; members[0] is the first */
} SharedBase;

/* The variable a pointer expression or lvalue is reached from, as
 * written: `hidden` for hidden[i], `p` for *(p + 1) (not what it points into). */
Var *ad_pointer_root(Expr *e);
Var *ad_pointer_var(Expr *e);
Var *ad_object_pointer(Expr *lvalue);

/* ad/jacobian.c: jacobian(f): its vjp and/or jvp helpers, made by `make`
 * and pushed onto `out`, and the function that loops over them; NULL
 * after an error. */
Derivative *ad_jacobian(Program *prog, Pragma *p, Vec *out, Derivative *(*make)(Program *, Pragma *));

/* ad/hvp.c: hvp(f): the vjp of f's jvp as a static helper, pushed onto
 * `out`, and the function that calls it; hessian(f): an hvp helper and the
 * loop over the columns around it.  NULL after an error. */
Derivative *ad_hvp(Program *prog, Pragma *p, Vec *out, Derivative *(*make)(Program *, Pragma *));
Derivative *ad_hessian(Program *prog, Pragma *p, Vec *out, Derivative *(*make)(Program *, Pragma *));

/* ad/select.c: checks a pragma against its function; fills deriv->selected. */
bool ad_select(Program *prog, Pragma *p, Derivative *deriv);

/* ad/normalize.c: a copy of `f` ready for differentiation: declarations
 * hoisted, returns turned into assignments to `result`, unsupported
 * constructs reported. */
bool ad_normalize(Ad *ad, Func *f);

/* ad/sequence.c: assignments, ++/--, commas and statement expressions
 * inside expressions moved to statements of their own, in place. */
bool ad_sequence(Ad *ad, Stmt *body);

/* ad/memfns.c: memcpy, memmove and memset of floating data as element
 * loops, after ad_sequence; false when one was refused (reported). */
bool ad_lower_memfns(Ad *ad, Stmt *body);

/* ad/struct_pointers.c: each pointer member of a local struct held in a
 * local pointer variable of its own where the struct's uses allow, after
 * the calls are inlined; false when a pointer stored in a member is
 * refused (reported). */
bool ad_scalarise_struct_pointers(Ad *ad, Stmt *body);

/* ad/realloc.c: `p = realloc(q, n)` of floating data as a new block and
 * a copy of what it keeps, where the size of q's block can be followed;
 * other reallocs stay (normalize.c refuses them). */
bool ad_lower_realloc(Ad *ad, Stmt *body);

/* ad/globals.c: a global scalar the function writes, worked on in a local
 * copy loaded at the start and stored back at the end. */
bool ad_copy_written_globals(Ad *ad, Stmt *body);
const char *ad_fresh_name(Ad *ad, const char *base);
/* "line N" for the comments of the generated code; "FILE line N" for a
 * line of another file (a helper of another input or of a header). */
const char *ad_line_of(const Ad *ad, Loc loc);
bool ad_name_taken(Ad *ad, const char *name);
void ad_reserve_name(Ad *ad, const char *name);
const char *ad_param_name(const Var *param);
/* Undo every name taken since ad_names_mark (a dry run). */
int ad_names_mark(Ad *ad);
void ad_names_rollback(Ad *ad, int mark);
Var *ad_new_local(Ad *ad, const char *base, Type *type, bool declare);

/* ad/pointer_tables.c: each use of an entry of a local array of pointers
 * (`double *rows[] = {a, b}`, `float **ptrs[] = {&p.wte, &p.wpe}`)
 * replaced by the entry, the loops that index it with their counter
 * unrolled, before anything else; false when an index is not known when
 * compiling (reported). */
bool ad_resolve_pointer_tables(Ad *ad, Stmt *body);

/* ad/jumps.c: the switches and forward gotos of a function body (a copy)
 * rewritten as ifs and flags, before normalize.c lowers it; false when one
 * was refused (reported). */
bool ad_rewrite_jumps(Ad *ad, Stmt *body);

/* ad/activity.c: sets varied/useful/active on the variables of ad->f. */
void ad_activity(Ad *ad);
/* Adds the variables whose value flows into the derivative of `e` to `out`. */
void ad_diff_reads(Expr *e, Vec *out);
bool ad_expr_active(Expr *e);

/* ad/custom.c: custom_vjp(g)/custom_jvp(g) rules.  ad_find_function: a
 * function of the inputs or the headers by name (NULL if none). */
Func *ad_find_function(const Program *prog, const char *name);
bool ad_check_custom_rule(Program *prog, Pragma *p);
/* Bit i: g's parameter i points to floating data g may write (an output). */
unsigned long long ad_custom_outputs(const Program *prog, const char *g);
/* Whether s passes v's memory to a call of g under a custom rule (whose rule reads all of it). */
bool ad_passed_to_custom(Stmt *s, Var *v); /* the rule's pragma against g and the rule's signature */
/* jvp: the call of g's rule computing g's value and, into t_ret (NULL when
 * g returns no floating value), its tangent; tangent_of(ctx, arg) gives
 * an argument's tangent (a pointer argument's tangent pointer), NULL for zero. */
Expr *ad_custom_jvp(Ad *ad, Expr *call, Expr *(*tangent_of)(void *ctx, Expr *arg), void *ctx, Var *t_ret);

/* ad/lanes.c: h, a vjp, made for `lanes` cotangents at once (one forward
 * sweep; each of its own parameters once per lane, side by side, named
 * NAME_lane0, ...); false, h unchanged, when it cannot be (see lanes.c). */
enum { LANES_MAX = 8 };
bool ad_lanes(Derivative *h, int lanes);

/* ad/null_tests.c: whether the function tests the pointer parameter
 * `param` (of ad->f) against NULL, itself or through a pointer into it. */
bool ad_null_tested(Ad *ad, const Var *param);

/* ad/math.c: the math.h functions, one table entry each (add one there). */
typedef enum {
  MATH_SMOOTH,             /* differentiable where defined */
  MATH_PIECEWISE_LINEAR,   /* fabs, fmin, fmax, fmod */
  MATH_PIECEWISE_CONSTANT, /* floor, ceil, round, trunc: derivative zero */
  MATH_CONJUGATE,          /* conj: the adjoint and the tangent are conjugated */
} MathPiecewise;
struct MathCall; /* what a derivative rule builds from (math.c) */
typedef struct MathFunc {
  const char *name;      /* the double spelling, "sin"; the float one adds 'f' */
  int nargs;
  MathPiecewise piecewise;
  bool cheap;            /* computed again by the reverse sweep, not kept from the forward one */
  const char *companion; /* sin, cos: the other, its derivative, computed beside it */
  /* d call / d argument i (ad_math_partial); a call with one is kept in a variable */
  Expr *(*partial)(struct MathCall *c, int i);
  /* the call as ?: of its operands (ad_math_conditional) */
  Expr *(*conditional)(Expr *call);
} MathFunc;
/* The entry of "sin" or "sinf"; NULL for other names. */
const MathFunc *ad_math_lookup(const char *name);

/* Where a variable's elements live (unroll.c): the array (or parameter, or
 * heap block) it points into, and whether that is adjoint memory.  Two
 * variables of different storage never reach the same element. */
typedef struct {
  Var *array;
  bool adjoint;
} Storage;
Storage ad_storage_of(Ad *ad, Var *v);
bool ad_has_storage(Var *v); /* a pointer, array, struct or global: it has elements */
/* The entry of a long double spelling ("sinl"), which is refused. */
const MathFunc *ad_math_long_double(const char *name);
/* The companion call's name ("cosf" for sinf), NULL when none. */
const char *ad_math_companion(Expr *call);
/* The partial derivative of call `call` w.r.t. argument `i`, as an
 * expression of the call's primal arguments; NULL when it is zero or
 * when the call is rewritten as a conditional. */
Expr *ad_math_partial(Ad *ad, Expr *call, int i);
/* fabs, fmin, fmax: the call as ?: of its operands, which routes the
 * adjoint like a branch; NULL for other calls. */
Expr *ad_math_conditional(Expr *call);

/* ad/arrays.c: the vg_array operations. */
typedef enum {
  AOP_BINARY,   /* vg_add(a, b): vg_add_vjp(a, b, out, g, &ga, &gb) */
  AOP_UNARY,    /* vg_exp(a): vg_exp_vjp(a, out, g, &ga) */
  AOP_AXIS,     /* vg_sum_axis(a, axis) */
  AOP_RESHAPE,  /* vg_reshape(a, ndim, shape) */
  AOP_SCALAR,   /* vg_scalar(double) */
  AOP_IDENTITY, /* vg_keep, vg_copy, vg_astype: the same values */
  AOP_FROM,     /* vg_from_f64(data, ndim, shape) */
  AOP_CONST,    /* vg_zeros, vg_full: no derivative */
  AOP_ITEM,     /* vg_item(a): a double */
  AOP_READER,   /* shapes and sizes */
  AOP_FREE,     /* vg_free: the generated code frees everything itself */
  AOP_DATA,     /* vg_data_f64: raw element access, refused */
  AOP_STOP,     /* vg_stop_gradient(a): a itself, no derivative */
} ArrayOpKind;
typedef struct {
  const char *name;
  ArrayOpKind kind;
} ArrayOp;
const ArrayOp *ad_array_op(const char *name);
bool expr_is_array_call(Expr *e);        /* a vg_ call returning vg_array * */

/* ad/recursion.c: a recursive function (one that reaches itself through
 * calls) is not inlined: it becomes a pair of static functions, its
 * forward sweep, which pushes onto its caller's tape what its reverse
 * sweep pops, and its reverse sweep, called where the caller's sweeps
 * reach the call (split reversal). */
typedef struct RecPair {
  Func *g;                 /* the recursive function of the input */
  const char *fwd_name, *rev_name;
  bool *selected;          /* per parameter of g: has a gradient (floating scalars, arrays given one) */
  bool has_seed;           /* g returns a floating value: the reverse function takes its adjoint */
  Func *fwd, *rev;         /* once generated */
  Var *seed, *tape;        /* while generating: the reverse function's result adjoint, the tape parameter */
  bool generating, failed;
} RecPair;
bool ad_is_recursive(Program *prog, Func *g);
/* Whether vgradcc differentiates g's calls (its types); else reports at `at`, once. */
bool ad_recursion_supported(Func *g, Loc at);
/* The pair of g whose parameters `selected` get a gradient, registered on
 * first use (ad.c makes its functions afterwards: ad_next_pending_pair). */
RecPair *ad_recursive_pair(Program *prog, Func *g, const bool *selected);
/* The registered pairs not yet generated, and all of them (reset per program). */
RecPair *ad_next_pending_pair(void);
void ad_recursion_reset(void);
/* jvp through a recursive function g: the static function computing g's
 * value and tangent, `R NAME(g's parameters, a tangent per floating scalar
 * parameter, R *t_ret)`, registered on first use (ad.c makes it afterwards:
 * ad_next_pending_jvp, the jvp of g with those parameters selected). */
const char *ad_recursive_jvp(Func *g);
Func *ad_next_pending_jvp(const char **name);
/* A variable passed as an array to a recursive function in s. */
bool ad_passed_to_recursive(Stmt *s, Var *v);

/* ad/reverse.c: builds the generated function. */
bool ad_reverse(Ad *ad);
/* The length of pointer parameter p's memory: declared (`double y[n]`) or
 * shown by the loops that index it; NULL when neither tells. */
Expr *ad_buffer_length(Ad *ad, Var *p);

/* ad/forward.c: builds the jvp function (forward mode), beside ad_reverse;
 * t_names: the tangent parameters' names, selected inputs, then t_ret
 * (for a floating return), then outputs(...). */
bool ad_forward(Ad *ad, const char **t_names);

/* ad/unroll.c: reverse loops summing into one target, run four iterations
 * a round into partial sums. */
void ad_split_sums(Ad *ad, Stmt *s);

/* ad/distribute.c: the sums of a reverse tile into adjoint memory that
 * moves with the outer counter, moved to a copy with the loops swapped. */
void ad_swap_tiles(Ad *ad, Stmt *s);

#endif
