/* vgradcc.h: the IR shared by every stage, and each stage's entry point.
 *
 *   FILE.c --frontend/--> Program (IR) --ad/--> adjoint Funcs --codegen/--> FILE.vg.c, FILE.vg.h
 *
 * libclang types never appear here: the frontend translates cursors into
 * these structs, and the later stages only see these. */
#ifndef VGRADCC_H
#define VGRADCC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define VGRADCC_VERSION "0.1.0"

/* ---- utilities (ir/util.c) ---- */

void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable array of pointers. */
typedef struct {
  void **items;
  int len, cap;
} Vec;
void vec_push(Vec *v, void *item);
void vec_insert_front(Vec *v, void *item);
void vec_insert_at(Vec *v, int at, void *item);
bool vec_contains(const Vec *v, const void *item);
void vec_add_unique(Vec *v, void *item);

/* A set of names, hashed: lookups in constant time whatever its size.
 * Stores the pointers it is given; the strings must outlive the set. */
typedef struct NameEntry NameEntry;
typedef struct {
  NameEntry **buckets;
  size_t nbuckets, len;
} NameSet;
bool name_set_contains(const NameSet *s, const char *name);
bool name_set_add(NameSet *s, const char *name); /* false if it was there */
const char *name_set_fresh(NameSet *s, const char *base); /* base, else base_2, ...: the first not in s, added */
void name_set_remove(NameSet *s, const char *name);
void name_set_add_all(NameSet *into, const NameSet *from);
/* An int kept with each name (0 when added); NULL if the name is absent. */
int *name_set_value(const NameSet *s, const char *name);

/* A set of pointers, hashed (open addressing): add, remove and membership
 * in constant time, for analyses whose sets grow with the function. */
typedef struct {
  void **slots;
  size_t cap, len, used; /* used: len plus removed slots not yet reused */
} PtrSet;
bool ptr_set_contains(const PtrSet *s, const void *p);
bool ptr_set_add(PtrSet *s, void *p); /* false if it was there */
void ptr_set_remove(PtrSet *s, const void *p);
PtrSet ptr_set_copy(const PtrSet *s);
bool ptr_set_union_into(PtrSet *into, const PtrSet *from); /* true if `into` grew */
void ptr_set_free(PtrSet *s);

/* A growable string. */
typedef struct {
  char *buf;
  size_t len, cap;
} Buf;
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);

/* ---- source locations and diagnostics (ir/diag.c) ---- */

typedef struct {
  const char *file; /* as given on the command line; NULL when unknown */
  int line, col;    /* 1-based */
} Loc;

/* Prints "file:line:col: error: message", the source line and a caret;
 * counts the error. */
void error_at(Loc loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void note_at(Loc loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void warning_at(Loc loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int error_count(void);

/* ---- types ---- */

typedef enum {
  TY_VOID,
  TY_BOOL,
  TY_CHAR,
  TY_INT,    /* every integer type; `name` is its spelling */
  TY_FLOAT,
  TY_DOUBLE,
  TY_LDOUBLE,
  TY_PTR,
  TY_ARRAY,
  TY_STRUCT, /* struct or union */
  TY_FUNC,
  TY_COMPLEX, /* double _Complex, float _Complex; base: the real type */
  TY_OTHER,  /* anything else (long double _Complex, vectors, ...) */
} TypeKind;

typedef struct Type Type;
typedef struct Member Member;

struct Member {
  const char *name;
  Type *type;
  bool bit_field; /* a bit-field, of bit_width bits */
  int bit_width;
};

struct Type {
  TypeKind kind;
  const char *name;    /* scalar spelling ("double", "unsigned long"), or the
                          record's display name ("struct S", "LassoOut") */
  bool is_const;       /* const-qualified (pointee constness lives in base) */
  Type *base;          /* pointee or element type */
  long array_len;      /* TY_ARRAY: element count, -1 if variable or unknown */
  bool is_union;
  Member *members;     /* TY_STRUCT */
  int nmembers;
  const char *def_file;/* TY_STRUCT/typedef: file holding the definition */
  const char *typedef_name; /* set when the record is only named by a typedef */
};

bool type_is_floating(const Type *t);      /* float, double, and their complex types */
bool type_is_complex(const Type *t);       /* double _Complex, float _Complex */
bool type_is_single(const Type *t);        /* float or float _Complex: constants take an f */
long type_scalar_bytes(const Type *t);     /* sizeof of a floating scalar (a complex: both parts); 0 for others */
bool type_is_integer(const Type *t);       /* bool, char, int kinds */
bool type_is_arith(const Type *t);
bool type_is_const_data(const Type *t);    /* const, or an array of const elements */
bool type_is_array_value(const Type *t);    /* vg_array *, the runtime's array */
bool type_is_function_pointer(const Type *t); /* a pointer to a function */
bool type_has_floating(const Type *t);     /* floating scalar, or pointer/array/struct holding one */
bool type_is_plain_struct(const Type *t);  /* numbers and arrays of them, nested: no pointers, no unions (query.c) */
struct Stmt;
bool stmt_has_complex_value(struct Stmt *s); /* an expression in s computes a complex value, or points to one (query.c) */
Type *type_floating_base(Type *t);         /* double for double*, double[3], ... */
Type *type_int(void);
Type *type_double(void);
Type *type_unqualified(Type *t);
Type *type_pointer_to(Type *base);
Type *type_array_of(Type *elem, long len);    /* elem[len] */
Type *type_adjoint(Type *t);               /* same shape, const removed at every level */

/* ---- variables ---- */

typedef struct Var Var;
struct Var {
  const char *name;   /* unique within its function after normalisation */
  const char *spelling; /* the name the user wrote (name may differ after renaming); NULL for generated variables */
  Type *type;
  Loc loc;
  int param_index;    /* >= 0 for parameters */
  bool is_global;
  bool is_static;     /* a static global: the generated file needs its own copy */
  bool is_library;    /* a global the generated file's headers declare (stderr): never declared again */
  const char *init;   /* a constant global's value, as C text, when known */
  struct Expr *fn_init; /* a constant global function pointer or table of them: its initializer
                         * of function names (EX_FUNCREF, EX_INIT of them), when known */
  /* analysis results (ad/) */
  bool varied;        /* depends on a selected input */
  bool useful;        /* reaches the loss */
  bool active;        /* varied && useful: has an adjoint */
  bool needed;        /* its value is read by the reverse sweep */
  bool mem_needed;    /* an array or pointer base whose elements the reverse sweep reads */
  bool assigned;      /* written after its definition */
  const char *adj_name;
  Var *adj;           /* the adjoint variable (ad/) */
  bool adj_is_pointer;/* the adjoint is *adj (a scalar parameter's output) */
  struct Expr *declared_len; /* a parameter declared `double x[n]`: n (over the function's parameters) */
  Var *base;          /* pointer variables: the array or parameter they point into; an array that a
                       * pointer may point into together with others: the first of them, which stands
                       * for all of them in the analyses (shares_base) */
  bool shares_base;   /* an array, parameter or heap block whose `base` is such a first one */
  bool into_param;    /* a pointer that may point into a parameter's memory (ad/normalize.c) */
  bool into_heap;     /* ... into a block this function allocates */
  struct Var *into_one; /* the pointer parameter into whose memory it always points, if one (ad/normalize.c) */
  bool is_heap;       /* assigned from malloc/calloc in the function */
  bool is_vla;        /* a variable-length array that ad/normalize.c made a calloc'ed pointer */
  bool declared_const;/* a const-qualified local, whose declaration normalize made an assignment */
  int mentions;       /* ad/: statements of the function that mention it */
  bool unaliased;     /* a parameter of a generated function whose only caller passes a local of its own
                       * (hvp's t_ret, ad/hvp.c): no run-time alias check */
};

/* ---- expressions ---- */

typedef enum {
  EX_NUM,      /* numeric or character literal; `text` keeps its spelling */
  EX_STRING,   /* string literal; `text` */
  EX_VAR,      /* var */
  EX_FUNCREF,  /* a function name used as a value; `text` */
  EX_INDEX,    /* lhs[rhs] */
  EX_MEMBER,   /* lhs.member or lhs->member (arrow) */
  EX_DEREF,    /* *lhs */
  EX_ADDR,     /* &lhs */
  EX_NEG,      /* -lhs */
  EX_PLUS,     /* +lhs */
  EX_NOT,      /* !lhs */
  EX_BITNOT,   /* ~lhs */
  EX_BINARY,   /* lhs op rhs, op in BinOp */
  EX_ASSIGN,   /* lhs op= rhs (op == OP_NONE for plain '=') */
  EX_INCDEC,   /* ++lhs, lhs++, --lhs, lhs-- */
  EX_COND,     /* cond ? lhs : rhs */
  EX_CAST,     /* (type) lhs; `implicit` for conversions the source left implicit */
  EX_CALL,     /* text(args); through a function pointer: lhs(args), the pointer expression in lhs, text "" */
  EX_SIZEOF,   /* sizeof: `text` keeps its spelling */
  EX_INIT,     /* { args } initializer list (struct or array) */
  EX_COMPOUND, /* (type) lhs: compound literal, lhs its EX_INIT */
  EX_STMT_EXPR, /* GNU C's ({ ... }): `stmts`; ad/sequence.c unpacks it when its value is not used */
  EX_UNSUPPORTED, /* an expression the frontend does not translate: `text` describes it (normalize refuses it) */
} ExprKind;

typedef enum {
  OP_NONE,
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
  OP_SHL, OP_SHR, OP_BITAND, OP_BITOR, OP_BITXOR,
  OP_LT, OP_GT, OP_LE, OP_GE, OP_EQ, OP_NE,
  OP_LAND, OP_LOR,
  OP_COMMA,
} BinOp;

/* Who a call's callee is, for the analyses of ad/: the input's own calls
 * (to its functions, libm, libvgrad's API as the user wrote them) are
 * CALL_PLAIN and recognised by name where it matters; the runtime calls ad/
 * adds say what they are here. */
typedef enum {
  CALL_PLAIN,      /* as written in the input, or a C library function (memcpy, calloc, free, isnan) */
  CALL_TAPE_PUSH,  /* vg_tape_push_X(&tape, value), X the stack (tape_stack_of) */
  CALL_TAPE_POP,   /* vg_tape_pop_X(&tape) */
  CALL_TAPE_PUT,   /* vg_tape_put_X(&tape, value): a push after a reservation */
  CALL_TAPE_TAKE,  /* vg_tape_take_X(&tape): a pop after an ensure */
  CALL_TAPE_OTHER, /* any other vg_tape_ function: turn, count, reserve, ensure, items, free */
  CALL_RUNTIME,    /* another libvgrad function ad/ calls (vg_ckpt_*, vg_keep, vg_accumulate, ...) */
  CALL_RECURSIVE,  /* a call of a recursive function of the inputs (callee), kept as a call: its forward
                    * and reverse functions (ad/recursion.c) instead of its body inlined */
} CallKind;

typedef struct Expr Expr;
struct Func;
struct Expr {
  ExprKind kind;
  Type *type;
  Loc loc;
  BinOp op;
  Expr *lhs, *rhs, *cond;
  Var *var;
  const char *text;   /* literal spelling, callee name, member name, what EX_UNSUPPORTED is */
  long sizeof_bytes;  /* a sizeof of the input (EX_SIZEOF, or the EX_NUM of its value): its value; else 0 */
  Type *sizeof_type;  /* and the type it measures, when the frontend can tell (for ad/memfns.c) */
  bool arrow;         /* EX_MEMBER via '->' */
  bool implicit;      /* EX_CAST inserted by the compiler, printed as nothing */
  bool prefix;        /* EX_INCDEC: ++x rather than x++ */
  bool increment;     /* EX_INCDEC: ++ rather than -- */
  Vec args;           /* EX_CALL, EX_INIT: Expr* */
  struct Stmt *stmts; /* EX_STMT_EXPR: its compound statement */
  const char *callee_file; /* EX_CALL of the input: the file declaring the callee (NULL if none) */
  bool system_callee;  /* EX_CALL of the input: the callee is declared in a system header (the C library) */
  struct Func *callee; /* EX_CALL, EX_FUNCREF of the input: the function of the inputs it calls or names (frontend_link: its
                        * definition when an input holds one, else the declaration), or NULL */
  CallKind call;      /* EX_CALL: whose function it is */
  bool custom;        /* EX_CALL of the input: its callee has the custom rule the transform uses (ad/normalize.c) */
  unsigned long long custom_outputs; /* with custom: bit i set when argument i points to floating data the callee
                                      * may write (an output of g; a statement of its own) */
  Var *cache;         /* ad/: a variable holding this call's value in the reverse sweep */
  Var *fwd_value;     /* ad/: the forward sweep computed this call into that variable first */
  Var *companion;     /* ad/: a variable holding cos(x) for sin(x), sin(x) for cos(x) */
  Var *tangent_cache; /* ad/forward.c: a recursive call's tangent, computed with its value (`cache`) */
};

/* ---- statements ---- */

typedef enum {
  ST_BLOCK,    /* { body } */
  ST_DECL,     /* var [= init] */
  ST_EXPR,     /* expr; */
  ST_IF,       /* if (cond) then [else els] */
  ST_RETURN,   /* return [expr]; */
  ST_FOR,      /* for (init; cond; step) body; init is a statement or NULL */
  ST_WHILE,    /* while (cond) body */
  ST_DO,       /* do body while (cond); */
  ST_BREAK,
  ST_CONTINUE,
  ST_EMPTY,
  ST_UNSUPPORTED, /* a statement we recognised but do not translate: `text` names it */
  ST_COMMENT,  /* generated code only: a comment line */
  /* Jumps as written; ad/jumps.c rewrites them before lowering, so no
   * later stage sees them. */
  ST_SWITCH,   /* switch (expr) then */
  ST_CASE,     /* case expr: then (expr NULL for default; step: the high end of a GNU `case lo ... hi`) */
  ST_GOTO,     /* goto text; */
  ST_LABEL,    /* text: then */
} StmtKind;

typedef struct Stmt Stmt;
struct Stmt {
  StmtKind kind;
  Loc loc;
  Vec body;           /* ST_BLOCK: Stmt* */
  Var *var;           /* ST_DECL */
  Expr *init;         /* ST_DECL */
  Expr *expr;         /* ST_EXPR, ST_RETURN; cond for IF/WHILE/DO/FOR */
  Expr *step;         /* ST_FOR; ST_CASE: the high end of a case range */
  Expr *vla_len;      /* ST_DECL of a variable-length array, until normalize makes it a calloc: its length
                       * (of a fixed-size one, the const variables that gave its length: normalize uses them) */
  Stmt *then, *els;   /* ST_IF; `then` is also the body of loops */
  Stmt *for_init;     /* ST_FOR: its init statement (NULL when empty) */
  const char *text;   /* ST_UNSUPPORTED, ST_COMMENT; the label of ST_GOTO, ST_LABEL */
  bool is_def;        /* ST_EXPR: the first value of a variable (no save needed) */
  bool recompute;     /* ST_EXPR: redone at the start of each reverse iteration instead of saved */
  bool unbraced;      /* generated ST_IF, ST_WHILE: a one-statement body printed on the next line, without braces */
  const char *note;   /* ST_EXPR of generated code: a comment printed after it on the same line;
                       * ST_UNSUPPORTED: what to write instead */
  Expr *trips;        /* ad/: a loop's number of iterations, valid just before it (or NULL) */
  long known_trips;   /* ad/: reverse counted loops: that number when it is a constant, else 0 */
  int checkpoint;     /* loops under `#pragma vgrad checkpoint`: snapshots + 1 (1: chosen at run time) */
  struct OmpPragma *omp; /* ST_FOR under `#pragma omp parallel for`, ST_EXPR under `#pragma omp atomic` (frontend) */
  struct OmpLoop *omp_loop; /* ad/: the forward and reverse loops of such a for (omp.c) */
  const char *pragma; /* generated code: a `#pragma` line printed before the statement */
  void *slot;         /* ad/: the save/restore this statement belongs to */
  void *info;         /* ad/: what the reverse sweep of this statement reads */
};

/* Constructors (ir/ir.c). */
Expr *new_expr(ExprKind kind, Type *type, Loc loc);
Expr *expr_var(Var *v, Loc loc);
Expr *expr_num(const char *text, Type *type);
Expr *expr_binary(BinOp op, Expr *lhs, Expr *rhs, Type *type);
Expr *expr_unary(ExprKind kind, Expr *lhs, Type *type);
Expr *expr_assign(BinOp op, Expr *lhs, Expr *rhs);
Expr *expr_call(const char *name, Type *type, Expr *arg0, Expr *arg1);
Stmt *new_stmt(StmtKind kind, Loc loc);
Stmt *stmt_expr(Expr *e);
Stmt *stmt_block(Loc loc);
Stmt *stmt_comment(const char *text);
/* Deep copies, replacing variable from[i] by to[i]. */
Expr *expr_clone(Expr *e, Var **from, Var **to, int nmap);
Expr *expr_copy(Expr *e);
Stmt *stmt_clone(Stmt *s, Var **from, Var **to, int nmap);
Var *lvalue_root(Expr *e);
bool lvalue_is_memory(Expr *e);
bool expr_is_bit_field(const Expr *e);
bool expr_mentions(const Expr *e, const Var *v);
bool expr_has_kind(const Expr *e, ExprKind kind);
void expr_collect_vars(const Expr *e, Vec *out); /* each variable mentioned, once */
/* Whether match(node, ctx) holds for e or any expression inside it. */
bool expr_any(const Expr *e, bool (*match)(const Expr *node, const void *ctx), const void *ctx);
/* The same for every expression of s and the statements inside it. */
bool stmt_any(const Stmt *s, bool (*match)(const Expr *node, const void *ctx), const void *ctx);

/* The walk over the IR (ir/walk.c).  pre runs before a node's children
 * (WALK_SKIP: not them, nor post; WALK_STOP: nothing more), post after.
 * Order: a statement's expressions expr, init, step (walked only when an
 * expression visit is given), then its statements body, then, els, for_init
 * (a for's init statement after its body); an expression's lhs, rhs, cond, args. */
typedef enum { WALK_ON, WALK_SKIP, WALK_STOP } WalkStep;
typedef struct {
  WalkStep (*stmt_pre)(Stmt *s, void *ctx);   /* NULL: always WALK_ON */
  void (*stmt_post)(Stmt *s, void *ctx);
  WalkStep (*expr_pre)(Expr *e, void *ctx);
  void (*expr_post)(Expr *e, void *ctx);
  void *ctx;
} Walker;
/* false when a visit stopped the walk */
bool walk_stmt(Stmt *s, const Walker *w);
bool walk_expr(Expr *e, const Walker *w);

/* ---- functions and the program ---- */

typedef struct Func Func;
struct Func {
  const char *name;
  Type *ret;
  Vec params;         /* Var* */
  Stmt *body;         /* NULL when only declared */
  Vec locals;         /* Var*: every local, including those in nested blocks */
  Loc loc;
  int end_line;       /* last line of the definition */
  bool is_static;
  bool is_variadic;
  bool uses_runtime;  /* generated code that calls libvgrad */
  bool uses_stdio;    /* generated code that reports with fprintf */
  bool uses_omp;      /* generated code that calls omp_get_thread_num (-fopenmp, ad/omp.c) */
};

typedef enum {
  PRAGMA_VALUE_AND_GRAD,
  PRAGMA_GRAD,
  PRAGMA_CHECKPOINT,
  PRAGMA_NONDIFF, /* nondiff(g): `func` is g, whose calls are constants */
  PRAGMA_JVP,
  PRAGMA_CUSTOM_VJP, /* custom_vjp(g) with(h): `func` is g, `with` is h, g's rule for the reverse transforms */
  PRAGMA_CUSTOM_JVP, /* custom_jvp(g) with(h): the same for the forward transforms */
  PRAGMA_VJP,      /* vjp(f): reverse mode seeded with the caller's cotangents of the return value and outputs */
  PRAGMA_JACOBIAN, /* jacobian(f): the dense Jacobian, through a vjp or jvp per row or column */
  PRAGMA_HVP,      /* hvp(f): the gradient and the Hessian times a direction, reverse over forward */
  PRAGMA_HESSIAN,  /* hessian(f): the dense Hessian, an hvp per column */
} PragmaKind;

/* A `#pragma omp ...` line of the input, as written (its first line). */
typedef struct OmpPragma {
  Loc loc;
  const char *text;
  const char *full;   /* with its continuation lines, each `\\ newline` a space */
  bool attached;      /* `parallel for` the frontend attached to its loop (Stmt.omp) */
  bool merged;        /* a `parallel` region holding only an `omp for` loop, folded into that loop's pragma */
  bool openmp;        /* its program's -fopenmp (Program.openmp) */
  bool parallel;      /* ad/ (-fopenmp): some copy of its loop runs in parallel in a gradient */
  bool serial;        /* ad/ (-fopenmp): some copy of its loop runs serially there (warned) */
} OmpPragma;

/* A step of loss(E) after its parameter: [index], or .member when member is set. */
typedef struct {
  const char *member;
  long index;
  Loc loc;
} LossStep;

/* One `#pragma vgrad ...` as written. */
typedef struct {
  PragmaKind kind;
  Loc loc;            /* of the `vgrad` token */
  const char *func;   /* FUNC in value_and_grad(FUNC) */
  Loc func_loc;
  bool has_argnums, argnums_all;
  int argnums[64];
  Loc argnums_loc[64];
  int nargnums;
  bool has_argnames;
  const char *argnames[64];
  Loc argnames_loc[64];
  int nargnames;
  const char *out_name;   /* name(ident), or NULL */
  const char *loss_param; /* loss(E): the parameter E starts from, or NULL */
  Loc loss_loc;
  const char *loss_text;  /* E as written */
  LossStep loss_steps[16]; /* E after its parameter: p->m is [0] then .m, *p is [0] */
  int loss_nsteps;
  int snapshots;          /* checkpoint snapshots(N); 0: chosen at run time */
  bool allow_int;         /* allow_int: a selected integer parameter gets a `void *d_n`, never touched */
  bool for_hvp;           /* jvp made for hvp (ad/hvp.c): differentiated again, so custom_jvp rules' tangents
                           * go through one-element arrays (the reverse sweep takes no scalar's address) */
  Loc allow_int_loc;
  bool holomorphic;       /* holomorphic: the loss is complex and d_z receives f'(z) */
  Loc holomorphic_loc;
  bool has_outputs;       /* jvp, vjp, jacobian: outputs(y, ...), the pointer parameters f writes (jacobian: `return` too) */
  const char *outputs[64];
  Loc outputs_loc[64];
  int noutputs;
  const char *with;       /* custom_vjp/custom_jvp: the rule's function */
  Loc with_loc;
  bool builtin;           /* a rule of vgradcc's own (CBLAS, in <vgrad_cblas.h>), made, not written */
  const char *output_lens[64];  /* jacobian: outputs(r[LEN]): LEN as written, or NULL */
  Loc output_lens_loc[64];
  const char *argname_lens[64]; /* jacobian: argnames(x[LEN]) */
  Loc argname_lens_loc[64];
  const char *mode;             /* jacobian: mode(fwd|rev), or NULL */
  Loc mode_loc;
} Pragma;

/* The word of a transform's pragma: "value_and_grad", "jvp", ... (ir/query.c). */
const char *pragma_kind_word(PragmaKind kind);

/* An `#include` of the main file: as spelled, and the file it found. */
typedef struct {
  const char *text;
  const char *file;
  bool angled;        /* <text> rather than "text" */
  int line;           /* of the directive */
  Vec reads;          /* char*: every file this include reads, itself and what it includes */
} Include;

typedef struct Program {
  const char *path;   /* the input file as given */
  Vec funcs;          /* Func*: every function defined or declared in the main file */
  Vec header_funcs;   /* Func*: functions defined in the user's headers (static inline helpers) */
  Vec header_decls;   /* Func*: functions only declared in a header that a custom rule names (g, g_vjp) */
  Vec others;         /* Program*: the other inputs of the command line (vgradcc a.c b.c), in
                       * its order, whose functions the calls of this one may reach */
  Vec pragmas;        /* Pragma* in source order */
  Vec omp_pragmas;    /* OmpPragma*: each `#pragma omp` line of the main file */
  bool openmp;        /* -fopenmp: gradients run `#pragma omp parallel for` loops in parallel */
  Vec includes;       /* Include*: the main file's #includes */
  /* Names a generated local could hide (file scope declarations and macros):
   * the input's and its headers', and those of the headers the generated
   * file includes (with the runtime's, added by ad/). */
  NameSet input_names;
  NameSet library_names;
  Vec static_locals;  /* Var*: static constant locals, file-scope tables of the generated
                       * file (frontend_link names them apart from the other inputs' names) */
  Vec static_local_funcs; /* char*: the function of each */
  Vec depends;        /* char*: every file the parse read, the input first, then each
                       * header once, in the order included (for -MD) */
  Vec user_depends;   /* char*: the same without system headers (for -MMD) */
  NameSet nondiff;    /* functions named by `#pragma vgrad nondiff(g)` in any input: their calls are constants */
  Vec custom_rules;   /* Pragma*: custom_vjp(g)/custom_jvp(g) of any input: g's calls use the user's rule */
} Program;

/* ---- queries the stages share (ir/query.c) ---- */

bool expr_is_alloc(Expr *e);                                   /* a malloc or calloc call, casts aside */
int expr_count_uses(Expr *e, Var *v);                          /* how often e mentions v */
int stmt_count_uses(Stmt *s, Var *v);                          /* how often s and the statements in it mention v */
void stmt_collect_vars(Stmt *s, Vec *out);                     /* variables s mentions (saves and restores aside) */
void stmt_flatten(Stmt *s, Vec *out);                          /* the statements of s, nested blocks opened */
int stmt_count_assigns(Stmt *s, Var *v);                       /* assignments of v in s (a for counter counts 2) */
void stmt_written_bases(Stmt *s, Vec *out);                    /* memory bases s writes, each once */
Var *call_output_root(Expr *call, int i);                      /* custom_outputs' argument i: the memory it writes */
void stmt_assigned_vars(Stmt *s, Vec *out);                    /* variables whose value (not pointee) s assigns, each once */
int stmt_mention_count(Stmt *s, Var *v);                       /* statements of s (and in it) that mention v */
void stmt_set_mentions(Stmt *s, bool reset);                   /* Var.mentions of every variable of s */
bool mentioned_outside_walk(Stmt *root, Stmt *skip, Var *v);   /* a statement of root outside skip mentions v */
bool mentioned_outside(Stmt *skip, Var *v);                    /* the same for the whole function, from Var.mentions */
Expr *loop_bound(Stmt *s, BinOp *cmp);                         /* a counted loop's bound, counter turned to the left */
bool expr_is_zero(Expr *e);                                    /* the literal 0 */
bool expr_is_null_pointer(const Expr *e);                      /* 0, NULL, (void *)0: a null pointer constant */
bool loop_invariant_bound(Expr *e, Stmt *body);                /* scalars and constants body leaves alone */
bool integer_literal(const char *text, long *value);           /* an integer literal's value, as C reads it */
bool stmt_uses(Stmt *s, Var *v);                               /* s or a statement in it mentions v */
void stmt_assigned_roots(Stmt *s, Vec *out);                   /* the root variable of every assignment in s */
bool expr_is_tape_call(const Expr *e);                         /* a call ad/ added of a vg_tape_ function (CallKind) */
/* The first statement of body that may read v's value from before body
 * (a loop body: from the iteration before), or NULL when every path sets
 * v (`v = e`, e free of v) before reading it. */
Stmt *stmt_read_before_set(Stmt *body, Var *v);
/* Whether a and b compute the same value from the same state: the same tree
 * (conversions of the same type, both written or both implicit), (*p).m the
 * same as p->m. */
bool expr_equal(const Expr *a, const Expr *b);
/* Whether a and b are the same place (and, on the right, the same value):
 * expr_equal, or the same element written differently: p[i], *(p + i) and
 * *(i + p); *p and p[0]; integer sums and products in either order
 * (out[j + 1] and out[1 + j], a[i * d + j] and a[j + d * i]). */
bool same_place(const Expr *a, const Expr *b);

/* The definition a call of the input reaches (ad/ inlines it), or NULL
 * (also for a constant call). */
Func *call_definition(const Program *prog, const Expr *e);
/* vg_stop_gradient(x) as the input wrote it: a call of vg_stop_gradient_f64,
 * _f32 or _array. */
bool call_is_stop_gradient(const Expr *e);
/* A call whose value carries no derivative (nothing flows back into its
 * arguments): vg_stop_gradient, or a function named by nondiff(g). */
bool call_is_constant(const Program *prog, const Expr *e);
/* custom_vjp(g) (kind PRAGMA_CUSTOM_VJP) or custom_jvp(g) of g, or NULL. */
const Pragma *custom_rule(const Program *prog, const char *g, PragmaKind kind);
/* A call of a function that has a custom rule of either kind: called, never inlined. */
bool call_has_custom_rule(const Program *prog, const Expr *e);
/* A function the generated code calls rather than inlines although its body
 * may be in the input: nondiff(g), a g with a custom rule, a rule itself. */
bool func_called_as_is(const Program *prog, const char *name);

/* ---- printing as C (ir/print.c) ---- */

/* A declaration of `name` with type `t`: "const double *x", "double a[3]". */
char *declare(Type *t, const char *name);
/* C text of an expression, for comments, messages and the generated code. */
char *expr_to_c(Expr *e);
char *expr_to_user_c(Expr *e);     /* as the user wrote it, for messages: variables by their spelling */
const char *var_spelling(const Var *v); /* the user's name of v, for messages */
/* The same appended to b, parenthesised as an operand of precedence min_prec. */
void print_expr(Buf *b, Expr *e, int min_prec);

/* ---- builders the stages share (ir/build.c) ---- */

Type *type_void(void);
Stmt *stmt_call(const char *name, Expr *arg);                  /* name(arg); as a statement */
Expr *expr_addr_of(Expr *e);                                   /* &e */
Expr *expr_truth(Expr *cond);                                  /* cond as an integer (c != 0 for a floating c) */
Expr *expr_minus(Expr *a, Expr *b);                            /* a - b, just a when b is 0 */
Type *type_long(void);
Type *type_size(void);                                         /* size_t */
Type *type_named(const char *name);                            /* a type the generated code names (vg_ckpt, ...) */
Expr *expr_sizeof_var(Var *v);                                 /* sizeof v */
Expr *expr_addr_of_var(Var *v);                                /* &v */
Expr *expr_memcpy(Expr *dst, Expr *src, Var *v);               /* memcpy(dst, src, sizeof v) */
Expr *expr_runtime_call(CallKind kind, const char *name, Type *type, Expr *arg0, Expr *arg1); /* a call ad/ adds */
Expr *expr_cast(Type *type, Expr *e);                          /* (type)e */
Expr *expr_int(long k);                                        /* the int literal k */
Expr *expr_index(Expr *a, Expr *i, Type *elem);                /* a[i] */
Expr *expr_sizeof_type(Type *t, Loc loc);                      /* sizeof(t), of type long */
Var *var_local(const char *name, Type *type);                  /* a local of generated code, named as given */
Stmt *stmt_decl(Var *v, Expr *init);                           /* type v = init; */
Stmt *stmt_if(Expr *cond, Stmt *then, Stmt *els);              /* if (cond) then [else els] */
Stmt *stmt_while(Expr *cond, Stmt *body);                      /* while (cond) body */

/* ---- stages ----
 *
 * Failure, the same in every stage: what vgradcc refuses is reported with
 * error_at() at the user's code, naming the user's variable and saying what
 * to write instead; nothing else prints and nothing exits.  The function
 * that finds the problem returns false (a check or a step) or NULL (one
 * that makes something).  A pass that goes on to report further problems
 * records the failure in its context's `failed` flag (Ad.failed,
 * normalize.c's Lower.failed), which is checked before the next step
 * builds on the result.  A stage's entry point returns false or NULL once
 * it has reported an error, and nothing of a failed unit is used
 * afterwards.  The frontend alone returns its program after errors that
 * leave it whole (a bad pragma), so that the AD stage reports its own too;
 * the driver writes nothing while error_count() is not 0.
 *
 * Invariants that comments state are checked with assert(), in every build:
 * neither the normal nor the sanitizer build (tests/run.sh) defines NDEBUG,
 * since a broken invariant must stop the compiler rather than let it emit
 * a wrong derivative, and the checks cost nothing measurable. */

/* frontend/pragma.y: parses the text after `vgrad` in a pragma.
 * `text_loc` is the location of the first character of `text`; errors are
 * reported with error_at() at the offending token. Returns false on error. */
bool parse_pragma_clauses(const char *text, Loc text_loc, Pragma *out);

/* How deep statements, and expressions within one, may nest (the frontend
 * refuses deeper ones with an error), and the stack the whole compilation
 * runs on (driver/main.c), libclang's parser included: every stage
 * recurses over the nesting.  Measured: libclang's parser takes 10 KiB a
 * level of a chain of casts (200 MiB at 20,000), 1.5 KiB of nested ifs; our
 * stages up to 3 KiB a level under AddressSanitizer (sums, nested ifs: 60
 * MiB at 20,000).  The stack is reserved, not allocated: only what is used
 * is touched. */
enum { MAX_NESTING = 20000, COMPILE_STACK_MB = 1024 };

/* frontend/frontend.c: parses `path` with libclang (clang_args passed
 * through) and translates it. Returns NULL after reporting errors. */
Program *frontend_parse(const char *path, int nclang_args, const char **clang_args);

/* frontend/frontend.c: the inputs of one command line as one program:
 * each call gets its callee (Expr.callee), a function of its own file
 * first (static ones stay apart), else the external definition in any
 * input; each program's `others` are the rest, and its depends, names
 * and omp pragmas take theirs in too.  With one input only the callees. */
void frontend_link(Program **progs, int nprogs);

/* frontend/compile_db.c: the C parser's flags for `input` from the entry
 * for it in BUILD_DIR/compile_commands.json (vgradcc -p): the compiler,
 * the input, outputs, dependency-file and warning options left out,
 * relative paths made absolute.  NULL after reporting an error. */
const char **compile_db_flags(const char *build_dir, const char *input, int *nflags);

/* ad/: one differentiated function per pragma. */
typedef struct {
  Pragma *pragma;
  Func *primal;
  const char *name;     /* the generated function's: name(...), or FUNC_grad, FUNC_value_and_grad */
  Func *out;            /* the generated function */
  Vec selected;         /* Var*: selected parameters, in order */
  Vec int_params;       /* Var*: integer parameters selected under allow_int, in order (not in `selected`) */
  Vec int_outputs;      /* Var*: their outputs `void *d_n`, never touched, among out's gradient outputs */
  Vec outputs;          /* Var*: jvp's and vjp's outputs(...), parameters of primal, in the pragma's order */
  Vec columns;          /* jacobian: Var*, the selected parameters in the order listed */
  Vec column_lens;      /* jacobian: Expr* over primal's parameters, each column's length; NULL: a scalar */
  Vec rows;             /* jacobian: Var*, outputs(...) in the order listed; NULL: the return value */
  Vec row_lens;         /* jacobian: Expr*, each output's length; NULL: the return value */
  Var *loss;            /* loss(p): that parameter of primal; NULL when the loss is returned */
  Var *loss_root;       /* loss(E), E a path (model->mean_loss, out[3]): its parameter of primal; the
                         * steps after it are pragma->loss_steps */
  Type *loss_type;      /* loss(E) with E a path: the type of the loss E denotes */
  bool internal;        /* static: made only for the run-time entry point */
  bool entry;           /* registered for vg_lookup: all arguments differentiated */
  Vec nullable;         /* Var* of primal: selected pointers the function tests against NULL (optional arrays) */
  const char *helper;   /* a static function the others call (the forward or reverse sweep of a recursive
                         * function, ad/recursion.c): what it is, for its comment; NULL for a pragma's */
} Derivative;

/* Differentiates every pragma of `prog`; NULL after reporting errors. */
Vec *ad_differentiate(Program *prog);

/* codegen/: writes the .vg.c and .vg.h texts. */
void codegen_source(Program *prog, Vec *derivs, const char *header_name, Buf *out);
void codegen_header(Program *prog, Vec *derivs, const char *guard, Buf *out);

#endif
