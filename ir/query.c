/* Queries on statements and expressions that several stages ask: which
 * variables a statement assigns or mentions, which memory it writes, how
 * often a variable is used or assigned, a counted loop's bound and whether
 * it stays invariant, an integer literal's value. */
#include "vgradcc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool expr_is_alloc(Expr *e) {
  while (e->kind == EX_CAST)
    e = e->lhs;
  return e->kind == EX_CALL && (!strcmp(e->text, "malloc") || !strcmp(e->text, "calloc"));
}

bool call_is_stop_gradient(const Expr *e) {
  return e->kind == EX_CALL && e->call == CALL_PLAIN && !e->lhs && e->text &&
         (!strcmp(e->text, "vg_stop_gradient_f64") || !strcmp(e->text, "vg_stop_gradient_f32") ||
          !strcmp(e->text, "vg_stop_gradient_array") || !strcmp(e->text, "vg_stop_gradient_c64") ||
          !strcmp(e->text, "vg_stop_gradient_c32"));
}

bool call_is_constant(const Program *prog, const Expr *e) {
  return call_is_stop_gradient(e) || (e->kind == EX_CALL && e->call == CALL_PLAIN && !e->lhs && e->text &&
                                      name_set_contains(&prog->nondiff, e->text));
}

const Pragma *custom_rule(const Program *prog, const char *g, PragmaKind kind) {
  for (int i = 0; g && i < prog->custom_rules.len; i++) {
    const Pragma *p = prog->custom_rules.items[i];
    if (p->kind == kind && !strcmp(p->func, g))
      return p;
  }
  return NULL;
}

bool call_has_custom_rule(const Program *prog, const Expr *e) {
  return e->kind == EX_CALL && e->call == CALL_PLAIN && !e->lhs && e->text &&
         (custom_rule(prog, e->text, PRAGMA_CUSTOM_VJP) || custom_rule(prog, e->text, PRAGMA_CUSTOM_JVP));
}

bool func_called_as_is(const Program *prog, const char *name) {
  if (name_set_contains(&prog->nondiff, name))
    return true;
  for (int i = 0; i < prog->custom_rules.len; i++) {
    const Pragma *p = prog->custom_rules.items[i];
    if (!strcmp(p->func, name) || !strcmp(p->with, name))
      return true;
  }
  return false;
}

/* The definition a call of the input reaches (ad/ inlines it), or NULL
 * (a constant call, or one with a custom rule, has none to inline):
 * Expr.callee as the frontend linked it; by name among the main file's
 * functions for a call that has none. */
Func *call_definition(const Program *prog, const Expr *e) {
  if (e->kind != EX_CALL || call_is_constant(prog, e) || call_has_custom_rule(prog, e))
    return NULL;
  if (e->callee)
    return e->callee->body ? e->callee : NULL;
  for (int i = 0; i < prog->funcs.len; i++) {
    Func *f = prog->funcs.items[i];
    if (!strcmp(f->name, e->text))
      return f->body ? f : NULL;
  }
  return NULL;
}

/* A variable, and how often it was met. */
typedef struct {
  const Var *v;
  int n;
} VarCount;

static WalkStep count_use(Expr *e, void *ctx) {
  VarCount *c = ctx;
  c->n += e->kind == EX_VAR && e->var == c->v;
  return WALK_ON;
}

int expr_count_uses(Expr *e, Var *v) {
  VarCount c = {v, 0};
  walk_expr(e, &(Walker){.expr_pre = count_use, .ctx = &c});
  return c.n;
}

int stmt_count_uses(Stmt *s, Var *v) {
  VarCount c = {v, 0};
  walk_stmt(s, &(Walker){.expr_pre = count_use, .ctx = &c});
  return c.n;
}

static WalkStep unless_saved(Stmt *s, void *ctx) {
  (void)ctx;
  return s->slot || s->kind == ST_EMPTY ? WALK_SKIP : WALK_ON;
}

static WalkStep collect_var(Expr *e, void *out) {
  if (e->kind == EX_VAR)
    vec_add_unique(out, e->var);
  return WALK_ON;
}

void stmt_collect_vars(Stmt *s, Vec *out) {
  walk_stmt(s, &(Walker){.stmt_pre = unless_saved, .expr_pre = collect_var, .ctx = out});
}

static WalkStep open_block(Stmt *s, void *out) {
  if (s->kind == ST_BLOCK)
    return WALK_ON;
  vec_push(out, s);
  return WALK_SKIP;
}

void stmt_flatten(Stmt *s, Vec *out) { walk_stmt(s, &(Walker){.stmt_pre = open_block, .ctx = out}); }

static WalkStep count_assign(Stmt *s, void *ctx) {
  VarCount *c = ctx;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR &&
      s->expr->lhs->var == c->v)
    c->n++;
  if (s->kind == ST_FOR && s->var == c->v)
    c->n += 2;
  return WALK_ON;
}

int stmt_count_assigns(Stmt *s, Var *v) {
  VarCount c = {v, 0};
  walk_stmt(s, &(Walker){.stmt_pre = count_assign, .ctx = &c});
  return c.n;
}

/* The memory a custom rule's call writes through its argument i, as a
 * store `*arg = ...` would name it. */
Var *call_output_root(Expr *call, int i) {
  Expr deref = {.kind = EX_DEREF, .lhs = call->args.items[i]};
  return lvalue_root(&deref);
}

/* The memory a statement `g(..., y, ...);` under a custom rule writes, into out. */
static void add_call_outputs(Stmt *s, Vec *out) {
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_CALL && s->expr->custom_outputs)
    for (int i = 0; i < s->expr->args.len && i < 64; i++)
      if (s->expr->custom_outputs >> i & 1) {
        Var *root = call_output_root(s->expr, i);
        if (root)
          vec_add_unique(out, root);
      }
}

static WalkStep add_written_base(Stmt *s, void *out) {
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && lvalue_is_memory(s->expr->lhs))
    vec_add_unique(out, lvalue_root(s->expr->lhs));
  add_call_outputs(s, out);
  return WALK_ON;
}

/* Memory bases written anywhere in the function. */
void stmt_written_bases(Stmt *s, Vec *out) { walk_stmt(s, &(Walker){.stmt_pre = add_written_base, .ctx = out}); }

static WalkStep add_assigned_var(Stmt *s, void *out) {
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && !lvalue_is_memory(s->expr->lhs)) {
    Var *v = lvalue_root(s->expr->lhs);
    if (v)
      vec_add_unique(out, v);
  }
  if (s->kind == ST_FOR && s->var)
    vec_add_unique(out, s->var);
  return WALK_ON;
}

/* Variables whose value (not the memory they point to) the loop body assigns. */
void stmt_assigned_vars(Stmt *s, Vec *out) { walk_stmt(s, &(Walker){.stmt_pre = add_assigned_var, .ctx = out}); }

static WalkStep count_mention(Stmt *s, void *ctx) {
  VarCount *c = ctx;
  if (s->kind == ST_EMPTY)
    return WALK_SKIP;
  c->n += expr_mentions(s->expr, c->v) || expr_mentions(s->init, c->v) || expr_mentions(s->step, c->v);
  return WALK_ON;
}

/* Statements of s and inside it that mention v. */
int stmt_mention_count(Stmt *s, Var *v) {
  VarCount c = {v, 0};
  walk_stmt(s, &(Walker){.stmt_pre = count_mention, .ctx = &c});
  return c.n;
}

/* Var.mentions of every variable, from one walk before the sweeps (which
 * add statements of their own but leave the primal's as they are): a
 * walk of the whole function per loop was quadratic. */
static WalkStep set_mentions(Stmt *s, void *ctx) {
  bool reset = *(bool *)ctx;
  if (s->kind == ST_EMPTY)
    return WALK_SKIP;
  Vec vars = {0};
  expr_collect_vars(s->expr, &vars);
  expr_collect_vars(s->init, &vars);
  expr_collect_vars(s->step, &vars);
  for (int i = 0; i < vars.len; i++) {
    bool again = false; /* mentioned by two of expr, init and step: one statement */
    for (int j = 0; j < i; j++)
      again |= vars.items[j] == vars.items[i];
    Var *v = vars.items[i];
    if (reset) /* globals are shared by the derivatives of the file */
      v->mentions = 0;
    else if (!again)
      v->mentions++;
  }
  free(vars.items);
  return WALK_ON;
}

void stmt_set_mentions(Stmt *s, bool reset) { walk_stmt(s, &(Walker){.stmt_pre = set_mentions, .ctx = &reset}); }

typedef struct {
  const Stmt *skip;
  const Var *v;
} Outside;

static WalkStep stop_at_mention(Stmt *s, void *ctx) {
  Outside *o = ctx;
  if (s == o->skip || s->kind == ST_EMPTY)
    return WALK_SKIP;
  if (expr_mentions(s->expr, o->v) || expr_mentions(s->init, o->v) || expr_mentions(s->step, o->v))
    return WALK_STOP;
  return s->kind == ST_DECL && s->var == o->v ? WALK_SKIP : WALK_ON;
}

bool mentioned_outside_walk(Stmt *root, Stmt *skip, Var *v) {
  Outside o = {skip, v};
  return !walk_stmt(root, &(Walker){.stmt_pre = stop_at_mention, .ctx = &o});
}

/* Whether a statement of the function outside `skip` mentions v. */
bool mentioned_outside(Stmt *skip, Var *v) { return v->mentions > stmt_mention_count(skip, v); }

/* The bound of a counted loop's condition, implicit casts removed, and the
 * comparison turned so that the counter stands on its left (`n > i` gives
 * n and <); NULL when the counter stands on neither side. */
Expr *loop_bound(Stmt *s, BinOp *cmp) {
  Expr *c = s->expr;
  Expr *l = c->lhs, *r = c->rhs;
  while (l->kind == EX_CAST && l->implicit)
    l = l->lhs;
  while (r->kind == EX_CAST && r->implicit)
    r = r->lhs;
  *cmp = c->op;
  if (l->kind == EX_VAR && l->var == s->var)
    return r;
  if (r->kind != EX_VAR || r->var != s->var)
    return NULL;
  *cmp = *cmp == OP_LT ? OP_GT : *cmp == OP_GT ? OP_LT : *cmp == OP_LE ? OP_GE : *cmp == OP_GE ? OP_LE : *cmp;
  return l;
}

bool expr_is_zero(Expr *e) { return e->kind == EX_NUM && !strcmp(e->text, "0"); }

bool expr_is_null_pointer(const Expr *e) {
  while (e->kind == EX_CAST)
    e = e->lhs;
  long value;
  return e->kind == EX_NUM && integer_literal(e->text, &value) && value == 0;
}

/* Scalars, constants and arithmetic on them, none of it written by `body`. */
bool loop_invariant_bound(Expr *e, Stmt *body) {
  if (!e)
    return false;
  switch (e->kind) {
  case EX_NUM:
    return true;
  case EX_VAR:
    return !e->var->is_global && type_is_integer(e->var->type) && stmt_count_assigns(body, e->var) == 0;
  case EX_CAST:
    return loop_invariant_bound(e->lhs, body);
  case EX_BINARY:
    return (e->op == OP_ADD || e->op == OP_SUB || e->op == OP_MUL) && loop_invariant_bound(e->lhs, body) &&
           loop_invariant_bound(e->rhs, body);
  default:
    return false;
  }
}

/* The value of an integer literal as C reads it (decimal, octal or hex,
 * suffixes u and l); false for anything else ('a', 1e3, 0b1, too large),
 * whose value the generated code computes instead. */
bool integer_literal(const char *text, long *value) {
  if (!text || !((text[0] >= '0' && text[0] <= '9') || text[0] == '-'))
    return false;
  char *end;
  errno = 0;
  *value = strtol(text, &end, 0);
  if (errno || end == text)
    return false;
  end += strspn(end, "uUlL");
  return *end == '\0';
}

static WalkStep stop_at_use(Stmt *s, void *v) {
  if (s->kind == ST_EMPTY)
    return WALK_SKIP;
  if (s->kind != ST_DECL && (expr_mentions(s->expr, v) || expr_mentions(s->step, v)))
    return WALK_STOP;
  if (s->kind == ST_DECL && s->var != v && expr_mentions(s->init, v))
    return WALK_STOP;
  return WALK_ON;
}

bool stmt_uses(Stmt *s, Var *v) { return !walk_stmt(s, &(Walker){.stmt_pre = stop_at_use, .ctx = v}); }

static WalkStep add_assigned_root(Stmt *s, void *out) {
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN)
    vec_push(out, lvalue_root(s->expr->lhs));
  add_call_outputs(s, out);
  return WALK_ON;
}

/* Variables the normalised body assigns (and the memory calls under custom rules write). */
void stmt_assigned_roots(Stmt *s, Vec *out) { walk_stmt(s, &(Walker){.stmt_pre = add_assigned_root, .ctx = out}); }

/* Types that declare() spells the same: same kind, qualifiers, name and shape. */
static bool type_equal(const Type *a, const Type *b) {
  if (a == b)
    return true;
  if (!a || !b || a->kind != b->kind || a->is_const != b->is_const)
    return false;
  switch (a->kind) {
  case TY_PTR:
    return type_equal(a->base, b->base);
  case TY_ARRAY:
    return a->array_len == b->array_len && type_equal(a->base, b->base);
  case TY_FUNC:
    if (!a->base || !b->base)
      return a->base == b->base && !strcmp(a->name ? a->name : "", b->name ? b->name : "");
    return !strcmp(a->name, b->name) && type_equal(a->base, b->base);
  default:
    return !strcmp(a->name ? a->name : "", b->name ? b->name : "");
  }
}

/* (*p).m is p->m: the pointer of an arrow member either way, else NULL. */
static const Expr *member_pointer(const Expr *e) {
  if (e->arrow)
    return e->lhs;
  return e->lhs->kind == EX_DEREF ? e->lhs->lhs : NULL;
}

bool expr_equal(const Expr *a, const Expr *b) {
  if (a == b)
    return true;
  if (!a || !b)
    return false;
  if (a->fwd_value || b->fwd_value) /* the generated code reads that variable */
    return a->fwd_value == b->fwd_value;
  if (a->kind != b->kind)
    return false;
  switch (a->kind) {
  case EX_NUM:
  case EX_STRING:
  case EX_FUNCREF:
  case EX_SIZEOF:
    return !strcmp(a->text, b->text);
  case EX_VAR:
    return a->var == b->var;
  case EX_MEMBER: {
    const Expr *pa = member_pointer(a), *pb = member_pointer(b);
    if (strcmp(a->text, b->text) || !pa != !pb)
      return false;
    return pa ? expr_equal(pa, pb) : expr_equal(a->lhs, b->lhs);
  }
  case EX_CAST: /* a written conversion and an implicit one stay apart, as in the C text */
  case EX_COMPOUND:
    if (!type_equal(a->type, b->type) || a->implicit != b->implicit)
      return false;
    break;
  case EX_INCDEC:
    if (a->prefix != b->prefix || a->increment != b->increment)
      return false;
    break;
  case EX_CALL:
    if (a->implicit != b->implicit || strcmp(a->text, b->text))
      return false;
    break;
  case EX_BINARY:
  case EX_ASSIGN:
    if (a->op != b->op)
      return false;
    break;
  default:
    break;
  }
  if (!expr_equal(a->lhs, b->lhs) || !expr_equal(a->rhs, b->rhs) || !expr_equal(a->cond, b->cond) ||
      a->args.len != b->args.len)
    return false;
  for (int i = 0; i < a->args.len; i++)
    if (!expr_equal(a->args.items[i], b->args.items[i]))
      return false;
  return true;
}

/* e as an element base[index]: p[i], *(p + i), *(i + p); *p is p[0]
 * (index NULL). False for anything else. */
static bool as_element(const Expr *e, const Expr **base, const Expr **index) {
  if (e->kind == EX_INDEX) {
    *base = e->lhs, *index = e->rhs;
    while ((*base)->kind == EX_CAST && (*base)->implicit)
      *base = (*base)->lhs;
    return true;
  }
  if (e->kind != EX_DEREF)
    return false;
  const Expr *p = e->lhs;
  if (p->kind == EX_BINARY && p->op == OP_ADD && type_is_integer(p->rhs->type))
    *base = p->lhs, *index = p->rhs;
  else if (p->kind == EX_BINARY && p->op == OP_ADD && type_is_integer(p->lhs->type))
    *base = p->rhs, *index = p->lhs;
  else
    *base = p, *index = NULL;
  while ((*base)->kind == EX_CAST && (*base)->implicit) /* an array as a pointer */
    *base = (*base)->lhs;
  return true;
}

static bool same_index(const Expr *a, const Expr *b) {
  if (!a || !b)
    return a == b || expr_is_zero((Expr *)(a ? a : b));
  return same_place(a, b);
}

bool same_place(const Expr *a, const Expr *b) {
  if (expr_equal(a, b))
    return true;
  if (!a || !b || a->fwd_value || b->fwd_value)
    return false;
  const Expr *ba, *ia, *bb, *ib;
  if (as_element(a, &ba, &ia) && as_element(b, &bb, &ib))
    return same_place(ba, bb) && same_index(ia, ib);
  if (a->kind != b->kind)
    return false;
  switch (a->kind) {
  case EX_MEMBER: {
    const Expr *pa = member_pointer(a), *pb = member_pointer(b);
    if (strcmp(a->text, b->text) || !pa != !pb)
      return false;
    return pa ? same_place(pa, pb) : same_place(a->lhs, b->lhs);
  }
  case EX_CAST:
    return a->implicit && b->implicit && type_equal(a->type, b->type) && same_place(a->lhs, b->lhs);
  case EX_BINARY:
    /* integer sums and products commute exactly */
    if (a->op != b->op || !type_is_integer(a->type) || !type_equal(a->type, b->type))
      return false;
    if (same_place(a->lhs, b->lhs) && same_place(a->rhs, b->rhs))
      return true;
    return (a->op == OP_ADD || a->op == OP_MUL) && same_place(a->lhs, b->rhs) && same_place(a->rhs, b->lhs);
  default:
    return false;
  }
}

bool expr_is_tape_call(const Expr *e) {
  return e->kind == EX_CALL && e->call >= CALL_TAPE_PUSH && e->call <= CALL_TAPE_OTHER;
}

const char *pragma_kind_word(PragmaKind kind) {
  switch (kind) {
  case PRAGMA_VALUE_AND_GRAD: return "value_and_grad";
  case PRAGMA_GRAD: return "grad";
  case PRAGMA_CHECKPOINT: return "checkpoint";
  case PRAGMA_NONDIFF: return "nondiff";
  case PRAGMA_JVP: return "jvp";
  case PRAGMA_CUSTOM_VJP: return "custom_vjp";
  case PRAGMA_CUSTOM_JVP: return "custom_jvp";
  case PRAGMA_VJP: return "vjp";
  case PRAGMA_JACOBIAN: return "jacobian";
  case PRAGMA_HVP: return "hvp";
  case PRAGMA_HESSIAN: return "hessian";
  }
  return "?";
}

/* A struct of numbers and arrays of them (no pointers, no unions): copied
 * whole, its tangent a struct of the same type needs nothing pointed at. */
static WalkStep note_complex_value(Expr *e, void *found) {
  if (!type_is_complex(type_floating_base(e->type)))
    return WALK_ON;
  *(bool *)found = true;
  return WALK_STOP;
}

bool stmt_has_complex_value(Stmt *s) {
  bool found = false;
  walk_stmt(s, &(Walker){.expr_pre = note_complex_value, .ctx = &found});
  return found;
}

bool type_is_plain_struct(const Type *t) {
  if (t->kind == TY_ARRAY)
    return type_is_plain_struct(t->base);
  if (t->kind != TY_STRUCT)
    return type_is_arith(t);
  if (t->is_union)
    return false;
  for (int i = 0; i < t->nmembers; i++)
    if (!type_is_plain_struct(t->members[i].type))
      return false;
  return true;
}

/* The first statement of s (in order) that may read v's value from before
 * s, or NULL; *set says whether every path so far has set v (a plain
 * `v = e` without v in e).  Each branch of an if is followed (the
 * branches of a call through a function pointer set their inlined
 * parameters first); any other statement that mentions v before it is
 * set counts as such a read. */
static Stmt *read_before_set(Stmt *s, Var *v, bool *set) {
  if (!s || *set)
    return NULL;
  switch (s->kind) {
  case ST_BLOCK:
    for (int i = 0; i < s->body.len; i++) {
      Stmt *read = read_before_set(s->body.items[i], v, set);
      if (read || *set)
        return read;
    }
    return NULL;
  case ST_IF: {
    if (expr_mentions(s->expr, v))
      return s;
    bool then_set = false, else_set = false;
    Stmt *read = read_before_set(s->then, v, &then_set);
    if (!read)
      read = read_before_set(s->els, v, &else_set);
    *set = then_set && else_set;
    return read;
  }
  case ST_FOR:
  case ST_WHILE:
  case ST_DO: {
    /* an inner loop that sets v before each read (an inlined call's
     * parameter) reads nothing from before; it may run no iteration, so
     * it sets nothing for what follows */
    bool init_set = false;
    Stmt *read = s->kind == ST_FOR ? read_before_set(s->for_init, v, &init_set) : NULL;
    if (read)
      return read;
    if (init_set) {
      *set = true;
      return NULL;
    }
    if ((s->expr && expr_mentions(s->expr, v)) || (s->step && expr_mentions(s->step, v)))
      return s;
    bool body_set = false;
    return read_before_set(s->then, v, &body_set);
  }
  case ST_EXPR: {
    Expr *a = s->expr;
    if (a->kind == EX_ASSIGN && a->op == OP_NONE && a->lhs->kind == EX_VAR && a->lhs->var == v &&
        !expr_mentions(a->rhs, v)) {
      *set = true;
      return NULL;
    }
    return stmt_uses(s, v) ? s : NULL;
  }
  case ST_DECL:
    if (s->var == v) {
      *set = true;
      return NULL;
    }
    return stmt_uses(s, v) ? s : NULL;
  default:
    return stmt_uses(s, v) ? s : NULL;
  }
}

Stmt *stmt_read_before_set(Stmt *body, Var *v) {
  bool set = false;
  return read_before_set(body, v, &set);
}
