/* `#pragma omp parallel for` under -fopenmp: the forward and the reverse
 * loop of such a for both run in parallel.
 *
 * Done once the sweeps are complete, for a loop whose gradient keeps
 * nothing on the tape inside it (per-thread tapes are not supported yet):
 * then an iteration's reverse reads only what every thread sees, and the
 * reverse loop may run its iterations in any order on any thread.
 *
 *   forward:  #pragma omp parallel for [collapse(n)] [schedule(...)]
 *                 private(inner counters) firstprivate(other loop locals)
 *                 reduction(+: variables the loop only adds to)
 *   reverse:  i = final; while (i != a) { i--; BODY }
 *             becomes
 *             #pragma omp parallel for [schedule(...)] private(...) firstprivate(...)
 *             for (i = a; i < b; i += 1) { BODY }
 *             with `#pragma omp atomic` on each sum into shared memory or a
 *             shared adjoint (d_w[k] += ..., d_scale += ...)
 *
 * A loop local is a variable the rest of the function never mentions
 * (normalisation declares every local at the top of the function); it is
 * firstprivate, so an adjoint starts each thread from the 0 it starts the
 * serial loop from.  Anything else, a loop that tapes or calls a function,
 * a shared variable assigned otherwise than by `+=`, stays serial with a
 * warning naming the reason. */
#include "ad.h"
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

void omp_note_loop(Reverse *rv, Stmt *s, Stmt *fwd, Stmt *rev) {
  OmpLoop *l = xcalloc(1, sizeof(OmpLoop));
  l->pragma = s->omp;
  l->fwd = fwd;
  l->rev = rev;
  l->counter = s->var;
  l->depth = rv->loop_depth;
  if (s->checkpoint)
    l->serial = "it is checkpointed";
  fwd->omp_loop = rev->omp_loop = l;
  vec_push(&rv->omp_loops, l);
}

/* What is inside `name(...)` in the text of a pragma, or NULL. */
static char *clause_arg(const char *text, const char *name) {
  size_t n = strlen(name);
  for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
    if (p > text && p[-1] != ' ' && p[-1] != '\t' && p[-1] != ',')
      continue;
    const char *q = p + n;
    while (*q == ' ' || *q == '\t')
      q++;
    if (*q != '(')
      continue;
    const char *end = strchr(q, ')');
    if (!end)
      return NULL;
    char *arg = xcalloc((size_t)(end - q), 1);
    memcpy(arg, q + 1, (size_t)(end - q - 1));
    return arg;
  }
  return NULL;
}

/* ---- what the function outside the loop mentions ---- */

typedef struct {
  OmpLoop *loop;
  PtrSet *vars;
} Outside;

static WalkStep skip_loop(Stmt *s, void *ctx) {
  Outside *o = ctx;
  return s == o->loop->fwd || s == o->loop->rev || s->kind == ST_EMPTY ? WALK_SKIP : WALK_ON;
}

static WalkStep add_var(Expr *e, void *ctx) {
  if (e->kind == EX_VAR)
    ptr_set_add(((Outside *)ctx)->vars, e->var);
  return WALK_ON;
}

/* Globals, statics and parameters outlive the loop: never its locals. */
static WalkStep add_lasting_var(Expr *e, void *ctx) {
  if (e->kind == EX_VAR && (e->var->is_global || e->var->is_static || e->var->param_index >= 0))
    ptr_set_add(((Outside *)ctx)->vars, e->var);
  return WALK_ON;
}

/* ---- what the loop writes ---- */

typedef struct {
  Vec written;     /* Var*: variables assigned (a local array: written through) */
  PtrSet declared; /* declared inside the loop: block locals */
  PtrSet counters; /* counters of for loops inside */
  Vec sums;        /* Stmt*: `T += e` / `T -= e` statements */
  Vec other_writes;/* Expr*: every other assignment or ++/-- */
  bool nested_assign; /* an assignment inside a larger expression */
} Writes;

static bool is_sum(const Stmt *s) {
  return s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && (s->expr->op == OP_ADD || s->expr->op == OP_SUB);
}

static bool is_local_array(const Var *v) {
  return v && v->type->kind == TY_ARRAY && v->param_index < 0 && !v->is_global && !v->is_static;
}

static Var *written_var(Expr *lhs) {
  if (lhs->kind == EX_VAR)
    return lhs->var;
  Var *root = lvalue_root(lhs);
  return is_local_array(root) ? root : NULL;
}

/* The counter a for assigns in its init (the sweeps' fors leave `var` unset). */
Var *for_counter(const Stmt *s) {
  if (s->var)
    return s->var;
  Expr *init = s->for_init && s->for_init->kind == ST_EXPR ? s->for_init->expr : NULL;
  return init && init->kind == EX_ASSIGN && init->op == OP_NONE && init->lhs->kind == EX_VAR ? init->lhs->var : NULL;
}

static WalkStep note_stmt(Stmt *s, void *ctx) {
  Writes *w = ctx;
  if (s->kind == ST_EMPTY)
    return WALK_SKIP;
  if (s->kind == ST_DECL)
    ptr_set_add(&w->declared, s->var);
  if (s->kind == ST_FOR && for_counter(s))
    ptr_set_add(&w->counters, for_counter(s));
  if (s->kind == ST_EXPR && (s->expr->kind == EX_ASSIGN || s->expr->kind == EX_INCDEC)) {
    Expr *e = s->expr;
    Var *v = written_var(e->lhs);
    if (v)
      vec_add_unique(&w->written, v);
    if (is_sum(s))
      vec_push(&w->sums, s);
    else
      vec_push(&w->other_writes, e);
    if (expr_has_kind(e->rhs, EX_ASSIGN) || expr_has_kind(e->rhs, EX_INCDEC) ||
        (e->lhs->kind != EX_VAR && (expr_has_kind(e->lhs, EX_ASSIGN) || expr_has_kind(e->lhs, EX_INCDEC))))
      w->nested_assign = true;
    return WALK_ON;
  }
  if ((s->kind == ST_EXPR || s->kind == ST_RETURN || s->kind == ST_IF || s->kind == ST_WHILE || s->kind == ST_DO ||
       s->kind == ST_DECL) &&
      ((s->expr && (expr_has_kind(s->expr, EX_ASSIGN) || expr_has_kind(s->expr, EX_INCDEC))) ||
       (s->init && (expr_has_kind(s->init, EX_ASSIGN) || expr_has_kind(s->init, EX_INCDEC)))))
    w->nested_assign = true;
  return WALK_ON;
}

static void collect_writes(Stmt *body, Writes *w) { walk_stmt(body, &(Walker){.stmt_pre = note_stmt, .ctx = w}); }

/* Statements the sweeps emptied (saves nobody restores) print as nothing:
 * the walks leave them out. */
static WalkStep skip_empty(Stmt *s, void *ctx) {
  (void)ctx;
  return s->kind == ST_EMPTY ? WALK_SKIP : WALK_ON;
}

/* Calls inside the loop: math.h's, and the tape's on the gradient's own
 * tape (then `taped`); any other (the runtime's, a function of the input,
 * which may write anything) keeps the loop serial. */
typedef struct {
  Var *tape;
  bool taped, other;
} Calls;

static WalkStep note_call(Expr *e, void *ctx) {
  Calls *c = ctx;
  if (e->kind != EX_CALL)
    return WALK_ON;
  bool tape_call = e->call == CALL_TAPE_PUSH || e->call == CALL_TAPE_POP || e->call == CALL_TAPE_PUT ||
                   e->call == CALL_TAPE_TAKE || e->call == CALL_TAPE_OTHER;
  if (tape_call) {
    Expr *ref = e->args.len ? e->args.items[0] : NULL;
    if (c->tape && ref && ref->kind == EX_ADDR && ref->lhs->kind == EX_VAR && ref->lhs->var == c->tape)
      c->taped = true;
    else
      c->other = true;
  } else if (e->call != CALL_PLAIN || !(ad_math_lookup(e->text) || !strncmp(e->text, "vgradcc_digamma", 15))) {
    c->other = true; /* (vgradcc_digamma: lgamma's derivative, a pure function of the generated file) */
  }
  return WALK_ON;
}

static void note_calls(Stmt *s, Calls *c) {
  walk_stmt(s, &(Walker){.stmt_pre = skip_empty, .expr_pre = note_call, .ctx = c});
}

/* The tape calls on `tape` in s go to the thread's tape `mine` instead. */
typedef struct {
  Var *tape, *mine;
} Retarget;

static WalkStep retarget_call(Expr *e, void *ctx) {
  Retarget *r = ctx;
  if (e->kind == EX_CALL && e->call != CALL_PLAIN && e->args.len) {
    Expr *ref = e->args.items[0];
    if (ref->kind == EX_ADDR && ref->lhs->kind == EX_VAR && ref->lhs->var == r->tape)
      e->args.items[0] = expr_var(r->mine, ref->loc);
  }
  return WALK_ON;
}

typedef struct {
  const Var *v;
  int count;
} Count;

static WalkStep count_var(Expr *e, void *ctx) {
  Count *c = ctx;
  if (e->kind == EX_VAR && e->var == c->v)
    c->count++;
  return WALK_ON;
}

static int mentions_in(Stmt *s, const Var *v) {
  Count c = {v, 0};
  walk_stmt(s, &(Walker){.stmt_pre = skip_empty, .expr_pre = count_var, .ctx = &c});
  return c.count;
}

static WalkStep stop_at_jump(Stmt *s, void *unused) {
  (void)unused;
  return s->kind == ST_GOTO || s->kind == ST_LABEL || s->kind == ST_SWITCH || s->kind == ST_CASE ? WALK_STOP : WALK_ON;
}

/* Whether v is only added to in body: each mention of it is the target of
 * a `v += e` / `v -= e` whose e does not read v.  Those statements go to
 * sums_of_v. */
static bool only_summed(Stmt *body, Writes *w, const Var *v, Vec *sums_of_v) {
  int sums = 0;
  for (int i = 0; i < w->sums.len; i++) {
    Stmt *s = w->sums.items[i];
    if (s->expr->lhs->kind == EX_VAR && s->expr->lhs->var == v) {
      if (expr_mentions(s->expr->rhs, v))
        return false;
      sums++;
      if (sums_of_v)
        vec_push(sums_of_v, s);
    }
  }
  return sums > 0 && mentions_in(body, v) == sums;
}

/* The user's name of v, or of the variable whose adjoint v is. */
static const char *user_name(Ad *ad, const Var *v) {
  if (v->spelling)
    return format("'%s'", v->spelling);
  for (int i = 0; i < ad->f->params.len + ad->f->locals.len; i++) {
    Var *p = i < ad->f->params.len ? ad->f->params.items[i] : ad->f->locals.items[i - ad->f->params.len];
    if (p->adj == v)
      return format("the adjoint of '%s'", var_spelling(p));
  }
  return "a variable of the gradient";
}

static void add_list(Buf *b, const char *clause, Vec *vars) {
  if (!vars->len)
    return;
  buf_printf(b, " %s", clause);
  for (int i = 0; i < vars->len; i++)
    buf_printf(b, "%s%s", i ? ", " : "", ((Var *)vars->items[i])->name);
  buf_printf(b, ")");
}

/* firstprivate(loop locals, then read-only copies) */
static void add_first(Buf *b, Vec *first, Vec *copies) {
  Vec all = {0};
  for (int i = 0; i < first->len + copies->len; i++)
    vec_add_unique(&all, i < first->len ? first->items[i] : copies->items[i - first->len]);
  add_list(b, "firstprivate(", &all);
  free(all.items);
}

/* Splits the loop locals written in body into private (counters of inner
 * for loops, which OpenMP allows only there) and firstprivate. */
static void split_locals(Writes *w, PtrSet *outside, Var *counter, Vec *priv, Vec *firstpriv) {
  for (int i = 0; i < w->written.len; i++) {
    Var *v = w->written.items[i];
    if (v == counter || ptr_set_contains(&w->declared, v) || ptr_set_contains(outside, v))
      continue;
    vec_add_unique(ptr_set_contains(&w->counters, v) ? priv : firstpriv, v);
  }
}

/* The block statement list that holds target, and its index there. */
static bool find_parent(Stmt *s, Stmt *target, Vec **list, int *index) {
  if (!s)
    return false;
  for (int i = 0; i < s->body.len; i++) {
    if (s->body.items[i] == target) {
      *list = &s->body;
      *index = i;
      return true;
    }
    if (find_parent(s->body.items[i], target, list, index))
      return true;
  }
  return find_parent(s->then, target, list, index) || find_parent(s->els, target, list, index);
}

/* collapse(n) stays on the forward loop when its n loops are still
 * perfectly nested and rectangular (bounds free of the outer counters). */
static bool perfectly_nested(Stmt *f, int n) {
  Vec outer = {0};
  bool ok = true;
  for (int level = 1; level < n && ok; level++) {
    vec_push(&outer, for_counter(f));
    Stmt *body = f->then, *inner = NULL;
    for (int i = 0; body && body->kind == ST_BLOCK && i < body->body.len && ok; i++) {
      Stmt *c = body->body.items[i];
      if (c->kind == ST_EMPTY || c->kind == ST_COMMENT)
        continue;
      if (inner || c->kind != ST_FOR)
        ok = false;
      inner = c;
    }
    if (!inner || !inner->for_init || !for_counter(inner))
      ok = false;
    for (int k = 0; ok && k < outer.len; k++)
      if (expr_mentions(inner->for_init->expr, outer.items[k]) || expr_mentions(inner->expr, outer.items[k]) ||
          expr_mentions(inner->step, outer.items[k]))
        ok = false;
    f = inner;
  }
  free(outer.items);
  return ok;
}

/* What omp.c makes of a loop: the data-sharing of each sweep's loop. */
typedef struct {
  bool taped;            /* the gradient keeps values of the loop on the tape: one tape per thread */
  Vec fwd_priv, fwd_first, reductions; /* Var* */
  Vec rev_priv, rev_first;
  Vec fwd_copies, rev_copies; /* Var*: read-only values of the function, firstprivate too */
  Vec carried;           /* Var*: loop locals the reverse reads before setting: each thread's last on its tape */
  Vec atomics;           /* Stmt*: reverse sums into what the iterations share */
  Vec rev_reductions;    /* Var*: shared scalars the reverse only adds to: reduction(+: ...) */
  OmpBuffers buffers;    /* sums into shared arrays that go to a buffer per thread */
  bool buffered;
  const char *schedule;  /* the user's schedule(...) argument, or NULL */
  int collapse;
} Plan;

static void free_plan(Plan *p) {
  free(p->fwd_priv.items);
  free(p->fwd_first.items);
  free(p->reductions.items);
  free(p->rev_priv.items);
  free(p->rev_first.items);
  free(p->fwd_copies.items);
  free(p->carried.items);
  free(p->buffers.setup.items);
  free(p->buffers.enter.items);
  free(p->buffers.leave.items);
  free(p->buffers.priv.items);
  free(p->buffers.first.items);
  free(p->rev_copies.items);
  free(p->atomics.items);
  free(p->rev_reductions.items);
}

static WalkStep note_address(Expr *e, void *ctx) {
  if (e->kind == EX_ADDR)
    expr_collect_vars(e->lhs, ctx);
  return WALK_ON;
}

/* The numbers and pointers body reads and never writes (nor takes the
 * address of): each thread gets a copy (firstprivate), which the compiler
 * keeps in a register; a shared one it reloads through the region's
 * shared-data block after every store it cannot tell apart from it. */
static void read_only_copies(Stmt *body, Writes *w, Plan *plan, Var *counter, Vec *copies) {
  Vec vars = {0}, addressed = {0};
  stmt_collect_vars(body, &vars);
  walk_stmt(body, &(Walker){.expr_pre = note_address, .ctx = &addressed});
  for (int i = 0; i < vars.len; i++) {
    Var *v = vars.items[i];
    Type *t = v->type;
    bool number = (type_is_integer(t) || type_is_floating(t)) && !type_is_complex(t);
    if ((number || t->kind == TY_PTR) && !v->is_global && !v->is_static && !vec_contains(&w->written, v) &&
        !ptr_set_contains(&w->counters, v) && !ptr_set_contains(&w->declared, v) && !vec_contains(&addressed, v) &&
        !vec_contains(&plan->reductions, v) && v != counter)
      vec_push(copies, v);
  }
  free(vars.items);
  free(addressed.items);
}

static const char *plan_loop(Reverse *rv, OmpLoop *l, Stmt *body, Plan *plan) {
  Ad *ad = rv->ad;
  if (l->serial)
    return l->serial;
  if (stmt_has_complex_value(l->rev))
    return "its adjoints are complex, which OpenMP cannot update atomically or reduce";
  Vec *list = NULL;
  int index = 0;
  if (l->fwd->kind != ST_FOR || l->rev->kind != ST_WHILE || !find_parent(body, l->rev, &list, &index) ||
      !find_parent(body, l->fwd, &list, &index))
    return "its gradient reorganises the loop";
  Stmt *first = l->rev->then && l->rev->then->kind == ST_BLOCK && l->rev->then->body.len ? l->rev->then->body.items[0] : NULL;
  /* the reverse loop's first statement steps the counter back: i--, or i -= K for the forward i += K */
  bool back_one = first && first->kind == ST_EXPR && first->expr->kind == EX_INCDEC && !first->expr->increment;
  bool back_k = first && first->kind == ST_EXPR && first->expr->kind == EX_ASSIGN && first->expr->op == OP_SUB &&
                l->fwd->step && l->fwd->step->kind == EX_ASSIGN && l->fwd->step->op == OP_ADD &&
                expr_equal(first->expr->rhs, l->fwd->step->rhs);
  if (!(back_one || back_k) || first->expr->lhs->kind != EX_VAR || first->expr->lhs->var != l->counter)
    return "its gradient reorganises the loop";
  for (int i = 0; i < rv->slots.len; i++) { /* an atomic update's old value saved: its restore would race */
    Slot *slot = rv->slots.items[i];
    Vec *list = NULL;
    int at = 0;
    if (slot->atomic && slot->kept && find_parent(l->fwd->then, slot->save, &list, &at))
      return "the reverse sweep needs the old value of an '#pragma omp atomic' update, which the iterations share";
  }
  Calls calls = {rv->tape, false, false};
  note_calls(l->fwd->then, &calls);
  note_calls(l->rev->then, &calls);
  if (calls.other)
    return "its gradient calls a function or the runtime inside it";
  plan->taped = calls.taped;
  PtrSet outside = {0};
  Outside o = {l, &outside};
  walk_stmt(body, &(Walker){.stmt_pre = skip_loop, .expr_pre = add_var, .ctx = &o});
  walk_stmt(l->fwd, &(Walker){.expr_pre = add_lasting_var, .ctx = &o});
  walk_stmt(l->rev, &(Walker){.expr_pre = add_lasting_var, .ctx = &o});
  Writes fw = {0}, rw = {0};
  collect_writes(l->fwd->then, &fw);
  collect_writes(l->rev->then, &rw);
  const char *why = NULL;
  if (fw.nested_assign || rw.nested_assign)
    why = "its gradient assigns inside an expression";
  for (int i = 0; i < fw.written.len && !why; i++) {
    Var *v = fw.written.items[i];
    if (v == l->counter || ptr_set_contains(&fw.declared, v) || !ptr_set_contains(&outside, v) ||
        v->type->kind == TY_ARRAY) /* a local array of the function: memory the iterations share */
      continue;
    if (!only_summed(l->fwd->then, &fw, v, NULL))
      why = format("%s is assigned in the loop and used outside it, not as a sum reduction(+: ...)", user_name(ad, v));
    else
      vec_push(&plan->reductions, v);
  }
  for (int i = 0; i < rw.written.len && !why; i++) {
    Var *v = rw.written.items[i];
    if (v == l->counter || ptr_set_contains(&rw.declared, v) || !ptr_set_contains(&outside, v) ||
        v->type->kind == TY_ARRAY)
      continue;
    if (!only_summed(l->rev->then, &rw, v, &plan->atomics))
      why = format("the reverse sweep assigns %s, shared by the iterations, otherwise than by adding to it",
                   user_name(ad, v));
  }
  /* sums into memory the iterations share: atomic */
  for (int i = 0; i < rw.sums.len && !why; i++) {
    Stmt *s = rw.sums.items[i];
    if (s->expr->lhs->kind == EX_VAR)
      continue; /* a loop local, or already among the atomics */
    Var *root = lvalue_root(s->expr->lhs);
    if (is_local_array(root) && !ptr_set_contains(&outside, root))
      continue;
    Type *t = s->expr->lhs->type;
    if (!t || !(type_is_floating(t) || type_is_integer(t)))
      why = "its reverse sweep adds to shared memory of a type '#pragma omp atomic' cannot update";
    else
      vec_push(&plan->atomics, s);
  }
  if (!why) {
    split_locals(&fw, &outside, l->counter, &plan->fwd_priv, &plan->fwd_first);
    split_locals(&rw, &outside, l->counter, &plan->rev_priv, &plan->rev_first);
    read_only_copies(l->fwd->then, &fw, plan, l->counter, &plan->fwd_copies);
    read_only_copies(l->rev->then, &rw, plan, l->counter, &plan->rev_copies);
    /* A loop local the reverse reads without the tape restoring it holds
     * the last iteration's value in a serial sweep: with one tape per
     * thread each thread's reverse starts from its own last values. */
    bool jumps = !walk_stmt(l->rev->then, &(Walker){.stmt_pre = stop_at_jump});
    for (int i = 0; i < plan->fwd_first.len; i++) {
      Var *v = plan->fwd_first.items[i];
      if (jumps ? mentions_in(l->rev->then, v) > 0 : stmt_read_before_set(l->rev->then, v) != NULL)
        vec_push(&plan->carried, v);
    }
    plan->taped |= plan->carried.len > 0;
    for (int i = 0; i < plan->carried.len && !why; i++) { /* a thread's last values go on its tape */
      Var *v = plan->carried.items[i];
      if (!(type_is_floating(v->type) || type_is_integer(v->type) || v->type->kind == TY_PTR))
        why = format("%s, a loop local, is an array or a struct (per-thread tapes keep only numbers and pointers)",
                     user_name(ad, v));
    }
    plan->schedule = clause_arg(l->pragma->full, "schedule");
    const char *collapse = clause_arg(l->pragma->full, "collapse");
    plan->collapse = collapse ? atoi(collapse) : 1;
  }
  ptr_set_free(&outside);
  return why;
}

static void add_vars(Vec *to, Vec *from) {
  for (int i = 0; i < from->len; i++)
    vec_add_unique(to, from->items[i]);
}

static Stmt *assign(Var *v, Expr *value) { return stmt_expr(expr_assign(OP_NONE, expr_var(v, (Loc){0}), value)); }

static Expr *call0(const char *name, Type *t) { return expr_runtime_call(CALL_PLAIN, name, t, NULL, NULL); }

/* { setup; #pragma omp parallel { enter; loop; leave } } (omp_buffers.c) */
static Stmt *buffered_region(OmpBuffers *b, Stmt *loop, const char *pragma) {
  Stmt *outer = stmt_block(loop->loc), *region = stmt_block(loop->loc);
  add_vars(&outer->body, &b->setup);
  add_vars(&region->body, &b->enter);
  vec_push(&region->body, loop);
  add_vars(&region->body, &b->leave);
  region->pragma = format("%s if(!%s)", pragma, b->alone->name);
  vec_push(&outer->body, region);
  outer->omp_loop = loop->omp_loop;
  return outer;
}

/* A floating local declared `= 0` at the top of the function. */
static bool declared_zero(Ad *ad, Var *v) {
  if (!type_is_floating(v->type) || type_is_complex(v->type))
    return false;
  for (int i = 0; i < ad->decls.len; i++) {
    Stmt *d = ad->decls.items[i];
    if (d->var == v)
      return !d->init || (d->init->kind == EX_NUM && strtod(d->init->text, NULL) == 0);
  }
  return false;
}

/* In a region of its own (buffered), a floating loop local of the reverse
 * loop (an adjoint, d_w) is private and set to 0 where the region starts,
 * rather than firstprivate: the variable outside keeps its 0 (nothing
 * else mentions it), and gcc keeps a private scalar in a register, where
 * it vectorises a loop summing into it (a firstprivate one it did not:
 * llm.c's tiled matmul, 7.8 against 10.6 ms with one thread).  The same
 * for the loop replaying per-thread tapes (GPT-2's layers). */
static void zero_in_region(Ad *ad, Plan *plan) {
  Vec first = {0};
  for (int i = 0; i < plan->rev_first.len; i++) {
    Var *v = plan->rev_first.items[i];
    if (declared_zero(ad, v) && !vec_contains(&plan->rev_copies, v)) {
      vec_push(&plan->rev_priv, v);
      vec_insert_front(&plan->buffers.enter, stmt_expr(expr_assign(OP_NONE, expr_var(v, v->loc), expr_num("0", v->type))));
    } else {
      vec_push(&first, v);
    }
  }
  free(plan->rev_first.items);
  plan->rev_first = first;
}

/* The loop without tape: both sweeps' loops become `parallel for`. */
static void parallel_for(Ad *ad, OmpLoop *l, Plan *plan, Stmt *body) {
  Buf fwd = {0}, rev = {0};
  buf_printf(&fwd, "#pragma omp parallel for");
  if (plan->collapse > 1 && perfectly_nested(l->fwd, plan->collapse))
    buf_printf(&fwd, " collapse(%d)", plan->collapse);
  buf_printf(&rev, plan->buffered ? "#pragma omp for" : "#pragma omp parallel for");
  if (plan->schedule) {
    buf_printf(&fwd, " schedule(%s)", plan->schedule);
    buf_printf(&rev, " schedule(%s)", plan->schedule);
  }
  add_list(&fwd, "private(", &plan->fwd_priv);
  add_first(&fwd, &plan->fwd_first, &plan->fwd_copies);
  add_list(&fwd, "reduction(+: ", &plan->reductions);
  l->fwd->pragma = fwd.buf;
  Buf region_pragma = {0};
  Buf *clauses = &rev;
  if (plan->buffered) { /* #pragma omp parallel { buffers; #pragma omp for ... nowait; sums } */
    zero_in_region(ad, plan);
    buf_printf(&rev, " nowait");
    buf_printf(&region_pragma, "#pragma omp parallel");
    clauses = &region_pragma;
  }
  Vec priv = {0};
  add_vars(&priv, &plan->rev_priv);
  add_vars(&priv, &plan->buffers.priv);
  add_list(clauses, "private(", &priv);
  add_first(clauses, &plan->rev_first, &plan->rev_copies);
  add_list(clauses, "reduction(+: ", &plan->rev_reductions);
  free(priv.items);
  /* while (i != a) { i--; BODY }  ->  for (i = a; i < b; i += 1) { BODY } */
  Vec *list = NULL;
  int index = 0;
  find_parent(body, l->rev, &list, &index);
  Stmt *r = new_stmt(ST_FOR, l->rev->loc);
  r->for_init = stmt_expr(expr_copy(l->fwd->for_init->expr));
  r->expr = expr_copy(l->fwd->expr);
  r->step = expr_copy(l->fwd->step);
  r->var = l->counter;
  r->then = l->rev->then;
  Vec *rb = &r->then->body; /* the i-- goes: the for's own counter runs over the iterations */
  memmove(rb->items, rb->items + 1, (size_t)(rb->len - 1) * sizeof(void *));
  rb->len--;
  r->pragma = rev.buf;
  r->omp_loop = l;
  list->items[index] = plan->buffered ? buffered_region(&plan->buffers, r, region_pragma.buf) : r;
}

/* A local of the generated function, declared among the others at the top
 * of body (assembled already). */
Var *omp_new_local(Ad *ad, Stmt *body, const char *base, Type *type) {
  Var *v = ad_new_local(ad, base, type, true);
  vec_insert_at(&body->body, ad->decls.len - 1, ad->decls.items[ad->decls.len - 1]);
  return v;
}

/* The loop with tape: one tape per thread, which also records the
 * iterations its thread ran, in the order it ran them.
 *
 *   omp_threads = omp_get_max_threads();
 *   omp_tapes = calloc(omp_threads, sizeof(vg_tape));
 *   #pragma omp parallel private(omp_tape, omp_count, ...) firstprivate(...)
 *   {
 *       omp_tape = &omp_tapes[omp_get_thread_num()];
 *       if (omp_get_thread_num() == 0) omp_team = omp_get_num_threads();
 *       omp_count = 0;
 *       #pragma omp for schedule(...) reduction(+: ...) nowait
 *       for (i = a; i < b; i += 1) { BODY (pushes on omp_tape); push i; omp_count += 1; }
 *       push each loop local (the values its reverse starts from), then omp_count
 *   }
 *   ...
 *   #pragma omp parallel private(...) firstprivate(...)
 *   for (omp_t = omp_get_thread_num(); omp_t < omp_team; omp_t += omp_get_num_threads()) {
 *       omp_tape = &omp_tapes[omp_t];
 *       vg_tape_turn_to_pop(omp_tape);
 *       omp_count = pop; pop the loop locals
 *       while (omp_count > 0) { omp_count -= 1; i = pop; REVERSE BODY (pops from omp_tape) }
 *       vg_tape_free(omp_tape);
 *   }
 *   free(omp_tapes);
 *
 * Each tape is replayed last in, first out, on whichever thread, whatever
 * the schedule (a nonmonotonic dynamic one included); a team of another
 * size in the reverse sweep still replays every tape. */
static void parallel_taped(Reverse *rv, OmpLoop *l, Plan *plan, Stmt *body) {
  Ad *ad = rv->ad;
  Loc loc = l->fwd->loc;
  Var *tape = rv->tape;
  Type *tape_type = tape ? tape->type : type_named("vg_tape");
  Type *tape_ptr = type_pointer_to(tape_type);
  Var *threads = omp_new_local(ad, body, "omp_threads", type_int());
  Var *tapes = omp_new_local(ad, body, "omp_tapes", tape_ptr);
  Var *team_size = omp_new_local(ad, body, "omp_team", type_int());
  Var *mine = omp_new_local(ad, body, "omp_tape", tape_ptr);
  Var *count = omp_new_local(ad, body, "omp_count", type_long());
  Var *t = omp_new_local(ad, body, "omp_t", type_int());
  Retarget rt = {tape, mine};
  walk_stmt(l->fwd->then, &(Walker){.stmt_pre = skip_empty, .expr_pre = retarget_call, .ctx = &rt});
  walk_stmt(l->rev->then, &(Walker){.stmt_pre = skip_empty, .expr_pre = retarget_call, .ctx = &rt});
  Expr *size_of_tape = new_expr(EX_SIZEOF, type_long(), loc);
  size_of_tape->text = "sizeof(vg_tape)";
  Vec locals = {0}; /* the values each thread's reverse starts from */
  add_vars(&locals, &plan->carried);

  /* forward */
  Stmt *fwd = stmt_block(loc);
  vec_push(&fwd->body, assign(threads, call0("omp_get_max_threads", type_int())));
  vec_push(&fwd->body, assign(tapes, expr_runtime_call(CALL_PLAIN, "calloc", tape_ptr, expr_var(threads, loc),
                                                       size_of_tape)));
  Stmt *region = stmt_block(loc);
  Buf p = {0};
  buf_printf(&p, "#pragma omp parallel");
  Vec priv = {0};
  vec_push(&priv, mine);
  vec_push(&priv, count);
  add_vars(&priv, &plan->fwd_priv);
  add_list(&p, "private(", &priv);
  add_first(&p, &plan->fwd_first, &plan->fwd_copies);
  region->pragma = p.buf;
  Expr *my_tape = expr_unary(EX_ADDR, new_expr(EX_INDEX, tape_type, loc), tape_ptr);
  my_tape->lhs->lhs = expr_var(tapes, loc);
  my_tape->lhs->rhs = call0("omp_get_thread_num", type_int());
  vec_push(&region->body, assign(mine, my_tape));
  Stmt *count_team = new_stmt(ST_IF, loc); /* the team may be smaller than omp_threads */
  count_team->expr = expr_binary(OP_EQ, call0("omp_get_thread_num", type_int()), expr_num("0", type_int()), type_int());
  count_team->then = stmt_block(loc);
  vec_push(&count_team->then->body, assign(team_size, call0("omp_get_num_threads", type_int())));
  vec_push(&region->body, count_team);
  vec_push(&region->body, assign(count, expr_num("0", type_long())));
  Buf q = {0};
  buf_printf(&q, "#pragma omp for");
  if (plan->schedule)
    buf_printf(&q, " schedule(%s)", plan->schedule);
  add_list(&q, "reduction(+: ", &plan->reductions);
  buf_printf(&q, " nowait");
  l->fwd->pragma = q.buf;
  Expr *push_i = ad_tape_push(rv, expr_var(l->counter, loc));
  push_i->args.items[0] = expr_var(mine, loc);
  vec_push(&l->fwd->then->body, stmt_expr(push_i));
  vec_push(&l->fwd->then->body, stmt_expr(expr_assign(OP_ADD, expr_var(count, loc), expr_num("1", type_int()))));
  vec_push(&region->body, l->fwd);
  for (int i = 0; i <= locals.len; i++) {
    Expr *push = ad_tape_push(rv, expr_var(i < locals.len ? locals.items[i] : count, loc));
    push->args.items[0] = expr_var(mine, loc);
    vec_push(&region->body, stmt_expr(push));
  }
  vec_push(&fwd->body, region);
  if (l->depth > 0) { /* another instance of the loop comes: its tapes wait on the gradient's tape */
    vec_push(&fwd->body, stmt_expr(ad_tape_push(rv, expr_var(tapes, loc))));
    vec_push(&fwd->body, stmt_expr(ad_tape_push(rv, expr_var(team_size, loc))));
  }
  fwd->omp_loop = l;
  Vec *list = NULL;
  int index = 0;
  find_parent(body, l->fwd, &list, &index);
  list->items[index] = fwd;

  /* reverse */
  Stmt *rev = stmt_block(loc);
  if (l->depth > 0) {
    vec_push(&rev->body, assign(team_size, ad_tape_pop(rv, type_int())));
    vec_push(&rev->body, assign(tapes, ad_tape_pop(rv, tape_ptr)));
  }
  Stmt *team = new_stmt(ST_FOR, loc);
  team->for_init = assign(t, call0("omp_get_thread_num", type_int()));
  team->expr = expr_binary(OP_LT, expr_var(t, loc), expr_var(team_size, loc), type_int());
  team->step = expr_assign(OP_ADD, expr_var(t, loc), call0("omp_get_num_threads", type_int()));
  team->then = stmt_block(loc);
  Expr *its_tape = expr_unary(EX_ADDR, new_expr(EX_INDEX, tape_type, loc), tape_ptr);
  its_tape->lhs->lhs = expr_var(tapes, loc);
  its_tape->lhs->rhs = expr_var(t, loc);
  vec_push(&team->then->body, assign(mine, its_tape));
  vec_push(&team->then->body, stmt_expr(expr_runtime_call(CALL_TAPE_OTHER, "vg_tape_turn_to_pop", type_void(),
                                                          expr_var(mine, loc), NULL)));
  for (int i = locals.len; i >= 0; i--) {
    Var *v = i < locals.len ? locals.items[i] : count;
    Expr *pop = ad_tape_pop(rv, v->type);
    Expr *call = pop->kind == EX_CAST ? pop->lhs : pop;
    call->args.items[0] = expr_var(mine, loc);
    vec_push(&team->then->body, assign(v, pop));
  }
  Stmt *each = new_stmt(ST_WHILE, loc);
  each->expr = expr_binary(OP_GT, expr_var(count, loc), expr_num("0", type_int()), type_int());
  each->then = l->rev->then;
  Expr *pop_i = ad_tape_pop(rv, l->counter->type);
  Expr *call = pop_i->kind == EX_CAST ? pop_i->lhs : pop_i;
  call->args.items[0] = expr_var(mine, loc);
  Vec *rb = &each->then->body; /* the i-- becomes: the next iteration this tape ran, backwards */
  rb->items[0] = assign(l->counter, pop_i);
  vec_insert_at(rb, 0, stmt_expr(expr_assign(OP_SUB, expr_var(count, loc), expr_num("1", type_int()))));
  vec_push(&team->then->body, each);
  vec_push(&team->then->body, stmt_expr(expr_runtime_call(CALL_TAPE_OTHER, "vg_tape_free", type_void(),
                                                          expr_var(mine, loc), NULL)));
  if (plan->buffered)
    zero_in_region(ad, plan);
  Buf r = {0};
  buf_printf(&r, "#pragma omp parallel");
  Vec rpriv = {0};
  vec_push(&rpriv, mine);
  vec_push(&rpriv, t);
  vec_push(&rpriv, count);
  vec_push(&rpriv, l->counter);
  add_vars(&rpriv, &plan->rev_priv);
  for (int i = 0; i < locals.len; i++)
    if (!vec_contains(&plan->rev_first, locals.items[i]))
      vec_add_unique(&rpriv, locals.items[i]);
  add_vars(&rpriv, &plan->buffers.priv);
  add_list(&r, "private(", &rpriv);
  add_first(&r, &plan->rev_first, &plan->rev_copies);
  add_list(&r, "reduction(+: ", &plan->rev_reductions);
  if (plan->buffered) {
    vec_push(&rev->body, buffered_region(&plan->buffers, team, r.buf));
  } else {
    team->pragma = r.buf;
    vec_push(&rev->body, team);
  }
  vec_push(&rev->body, stmt_call("free", expr_var(tapes, loc)));
  rev->omp_loop = l;
  find_parent(body, l->rev, &list, &index);
  list->items[index] = rev;
  ad->deriv->out->uses_runtime = true;
  ad->deriv->out->uses_omp = true;
  free(priv.items);
  free(rpriv.items);
  free(locals.items);
}

/* ---- const ints: their literal inside a parallel loop ---- */

typedef struct {
  Var *v;
  Expr *value; /* its `v = literal` (the sweeps may repeat it) */
  bool other;  /* another assignment */
} ConstInt;

static WalkStep note_const_assign(Stmt *s, void *ctx) {
  ConstInt *c = ctx;
  Expr *e = s->kind == ST_EXPR ? s->expr : NULL;
  if (e && (e->kind == EX_ASSIGN || e->kind == EX_INCDEC) && e->lhs->kind == EX_VAR && e->lhs->var == c->v) {
    long value;
    bool literal = e->kind == EX_ASSIGN && e->op == OP_NONE && e->rhs->kind == EX_NUM &&
                   integer_literal(e->rhs->text, &value);
    if (!literal || (c->value && strcmp(c->value->text, e->rhs->text)))
      c->other = true;
    else
      c->value = e->rhs;
  }
  return WALK_ON;
}

static WalkStep empty_assign(Stmt *s, void *ctx) {
  ConstInt *c = ctx;
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR && s->expr->lhs->var == c->v)
    s->kind = ST_EMPTY;
  return WALK_ON;
}

static WalkStep inline_const(Expr *e, void *ctx) {
  Vec *consts = ctx;
  for (int i = 0; i < consts->len; i += 2)
    if (e->kind == EX_VAR && e->var == consts->items[i]) {
      Expr *value = consts->items[i + 1];
      e->kind = EX_NUM;
      e->text = value->text;
      e->var = NULL;
    }
  return WALK_ON;
}

/* (void)n, which kept n read, goes with n */
static WalkStep drop_void_use(Stmt *s, void *ctx) {
  Vec *consts = ctx;
  Expr *e = s->kind == ST_EXPR ? s->expr : NULL;
  if (e && e->kind == EX_CAST && e->type->kind == TY_VOID && e->lhs->kind == EX_VAR)
    for (int i = 0; i < consts->len; i += 2)
      if (e->lhs->var == consts->items[i])
        s->kind = ST_EMPTY;
  return WALK_ON;
}

static WalkStep collect_expr_vars(Expr *e, void *ctx) {
  if (e->kind == EX_VAR)
    vec_add_unique(ctx, e->var);
  return WALK_ON;
}

/* A `const int n = 8` of the user's, read in a parallel loop, becomes its
 * literal there: the outlined function of the region would see a shared (or
 * firstprivate) variable, and the C compiler could no longer unroll the
 * loops n bounds (llm.c's LOOP_UNROLL tiles). */
static void inline_const_ints(Ad *ad, Stmt *body, OmpLoop *l) {
  Vec vars = {0}, consts = {0};
  Stmt *loops[2] = {l->fwd, l->rev};
  for (int k = 0; k < 2; k++)
    walk_stmt(loops[k], &(Walker){.expr_pre = collect_expr_vars, .ctx = &vars});
  for (int i = 0; i < vars.len; i++) {
    Var *v = vars.items[i];
    if (!v->declared_const || !type_is_integer(v->type) || v->is_global || v->is_static || v->param_index >= 0)
      continue;
    ConstInt c = {v, NULL, false};
    walk_stmt(body, &(Walker){.stmt_pre = note_const_assign, .ctx = &c});
    if (c.value && !c.other) {
      vec_push(&consts, v);
      vec_push(&consts, c.value);
    }
  }
  for (int k = 0; k < 2 && consts.len; k++)
    walk_stmt(loops[k], &(Walker){.stmt_pre = drop_void_use, .expr_pre = inline_const, .ctx = &consts});
  for (int i = 0; i < consts.len; i += 2) { /* read nowhere else now: its assignment and declaration go */
    Var *v = consts.items[i];
    if (stmt_count_uses(body, v) == stmt_count_assigns(body, v)) {
      ConstInt c = {v, NULL, false};
      walk_stmt(body, &(Walker){.stmt_pre = empty_assign, .ctx = &c});
      drop_decl_of(ad, v);
    }
  }
  free(vars.items);
  free(consts.items);
}

void omp_parallel_loops(Reverse *rv, Stmt *body) {
  Ad *ad = rv->ad;
  bool had_tape = rv->tape != NULL;
  for (int k = 0; k < rv->omp_loops.len; k++) {
    OmpLoop *l = rv->omp_loops.items[k];
    if (!l->serial)
      inline_const_ints(ad, body, l);
    Plan plan = {0};
    const char *why = plan_loop(rv, l, body, &plan);
    if (why) {
      if (!l->pragma->serial)
        warning_at(l->pragma->loc, "'%s' runs serially in the gradient of '%s': %s", l->pragma->text,
                   ad->deriv->primal->name, why);
      l->pragma->serial = true;
      l->fwd->omp_loop = l->rev->omp_loop = NULL; /* sums split as in any loop */
      free_plan(&plan);
      continue;
    }
    l->pragma->parallel = true;
    plan.buffered = omp_buffer_sums(rv, l, body, &plan.atomics, &plan.buffers);
    if (plan.buffered) { /* omp_get_max_threads, vg_span_term */
      ad->deriv->out->uses_runtime = true;
      ad->deriv->out->uses_omp = true;
    }
    add_vars(&plan.rev_copies, &plan.buffers.first);
    int kept = 0; /* sums into shared scalars: a reduction */
    for (int i = 0; i < plan.atomics.len; i++) {
      Stmt *s = plan.atomics.items[i];
      if (s->expr->lhs->kind == EX_VAR && (type_is_floating(s->expr->lhs->type) || type_is_integer(s->expr->lhs->type)))
        vec_add_unique(&plan.rev_reductions, s->expr->lhs->var);
      else
        plan.atomics.items[kept++] = s;
    }
    plan.atomics.len = kept;
    for (int i = 0; i < plan.atomics.len; i++)
      ((Stmt *)plan.atomics.items[i])->pragma = "#pragma omp atomic";
    if (plan.taped)
      parallel_taped(rv, l, &plan, body);
    else
      parallel_for(ad, l, &plan, body);
    free_plan(&plan);
  }
  for (int i = 0; !had_tape && rv->tape && i < ad->decls.len; i++) { /* made here: declared with the others */
    Stmt *d = ad->decls.items[i];
    if (d->kind == ST_DECL && d->var == rv->tape)
      vec_insert_at(&body->body, ad->decls.len - 1, d);
  }
}
