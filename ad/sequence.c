/* Side effects out of expressions.  C lets an expression assign
 * (`a = b = 0`, `while ((r = step(r)) > tol)`), step (`x[i++] = v`,
 * `while (n--)`), sequence (`for (i = 0, p = x; i < n; i++, p++)`) and,
 * in GNU C, hold statements: glibc's assert is
 * `((void) sizeof (c ? 1 : 0), ({ if (c) ; else __assert_fail (...); }))`.
 * normalize.c lowers statements whose effects are each a statement of
 * their own; this pass, run on a function's private copy before that,
 * moves the effects there in C's order of evaluation.  A statement with
 * nothing to move is left as it is (normalize.c still takes `x[i++] = v`
 * and `*p++` in an assignment apart itself), so what was accepted before
 * comes out the same. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  Ad *ad;
  bool failed;
} Seq;

/* A call to a function whose body is not in the file (a user's function
 * of another file, or rand, time, clock): it may have effects or give
 * another value each time, so the reverse sweep must not call it again
 * to get its value; it is called once, into a variable, like any other
 * effect (a nondiff(g) function too).  libm, the runtime (vg_stop_gradient)
 * and the pure rest of the C library (abs) stay in place. */
static bool is_outside_value_call(const Expr *e, const void *ad_) {
  const Ad *ad = ad_;
  if (e->kind != EX_CALL || e->call != CALL_PLAIN || !type_is_arith(e->type) || ad_math_lookup(e->text) ||
      ad_array_op(e->text) || e->lhs || call_is_stop_gradient(e))
    return false; /* e->lhs: through a pointer, to functions of the file or libm (normalize.c) */
  if (call_has_custom_rule(ad->prog, e))
    return true; /* a statement of its own, whose reverse calls the rule */
  if (e->system_callee) {
    /* the C library's: pure but for these */
    static const char *const impure[] = {"rand", "random", "drand48", "lrand48", "mrand48", "erand48", "nrand48",
                                         "jrand48", "rand_r", "time", "clock", "getchar", "getc", "fgetc", NULL};
    for (int i = 0; impure[i]; i++)
      if (!strcmp(e->text, impure[i]))
        return true;
    return false;
  }
  return !call_definition(ad->prog, e); /* a definition is inlined (normalize.c) */
}

static void fail(Seq *sq, Loc loc, const char *message) {
  if (!sq->failed)
    error_at(loc, "%s", message);
  sq->failed = true;
}

static bool is_comma(const Expr *e) { return e->kind == EX_BINARY && e->op == OP_COMMA; }

static bool is_effect(const Expr *e, const void *ad) {
  return e->kind == EX_ASSIGN || e->kind == EX_INCDEC || e->kind == EX_STMT_EXPR || is_comma(e) ||
         is_outside_value_call(e, ad);
}

static bool is_effect_but_incdec(const Expr *e, const void *ad) { return e->kind != EX_INCDEC && is_effect(e, ad); }

static bool is_effect_or_call(const Expr *e, const void *ad) { return e->kind == EX_CALL || is_effect(e, ad); }

/* An assignment, ++ or --, comma, statement expression or call outside
 * the file (is_outside_value_call) anywhere in e. */
static bool has_effect(Seq *sq, const Expr *e) { return e && expr_any(e, is_effect, sq->ad); }
static bool has_effect_but_incdec(Seq *sq, const Expr *e) { return e && expr_any(e, is_effect_but_incdec, sq->ad); }
static bool has_effect_or_call(Seq *sq, const Expr *e) { return e && expr_any(e, is_effect_or_call, sq->ad); }

static bool args_have_effect(Seq *sq, const Expr *call) {
  for (int i = 0; i < call->args.len; i++)
    if (has_effect(sq, call->args.items[i]))
      return true;
  return false;
}

static void append(Vec *out, Vec *stmts) {
  for (int i = 0; i < stmts->len; i++)
    vec_push(out, stmts->items[i]);
  free(stmts->items);
  *stmts = (Vec){0};
}

static Stmt *block_of(Vec *stmts, Loc loc) {
  Stmt *b = stmt_block(loc);
  append(&b->body, stmts);
  return b;
}

/* A copy of each statement of `stmts`, for the second of two paths. */
static Vec copies(Vec *stmts) {
  Vec out = {0};
  for (int i = 0; i < stmts->len; i++)
    vec_push(&out, stmt_clone(stmts->items[i], NULL, NULL, 0));
  return out;
}

static void seq_into(Seq *sq, Stmt *s, Vec *out);
static void effects_of(Seq *sq, Expr *e, Loc loc, bool top, Vec *out);

/* s rewritten as one statement (a block if it became several). */
static Stmt *seq_single(Seq *sq, Stmt *s) {
  if (!s)
    return NULL;
  Vec out = {0};
  seq_into(sq, s, &out);
  if (out.len == 1) {
    Stmt *r = out.items[0];
    free(out.items);
    return r;
  }
  return block_of(&out, s->loc);
}

/* e's value, its effects moved to `pre` (before the statement) and
 * `post` (after it: a postfix ++ or --). */
static Expr *value_of(Seq *sq, Expr *e, Vec *pre, Vec *post) {
  if (!e || !has_effect(sq, e) || sq->failed)
    return e;
  switch (e->kind) {
  case EX_ASSIGN:
  case EX_INCDEC: {
    e->lhs = value_of(sq, e->lhs, pre, post);
    if (e->kind == EX_ASSIGN)
      e->rhs = value_of(sq, e->rhs, pre, post);
    if (expr_has_kind(e->lhs, EX_CALL)) {
      fail(sq, e->loc, "an assignment, '++' or '--' to memory found by a call, inside an expression, is not "
           "supported; keep the call's value in a pointer variable first");
      return e;
    }
    Stmt *st;
    if (e->kind == EX_ASSIGN)
      st = stmt_expr(e);
    else
      st = stmt_expr(expr_assign(e->increment ? OP_ADD : OP_SUB, e->lhs, expr_num("1", type_int())));
    st->loc = e->loc;
    vec_push(e->kind == EX_INCDEC && !e->prefix ? post : pre, st);
    return expr_copy(e->lhs); /* the value the assignment left there */
  }
  case EX_STMT_EXPR: {
    /* ({ ...; v; }): its statements before, v its value */
    Stmt *b = e->stmts;
    Stmt *last = b && b->kind == ST_BLOCK && b->body.len ? b->body.items[b->body.len - 1] : NULL;
    if (!last || last->kind != ST_EXPR || e->type->kind == TY_VOID) {
      fail(sq, e->loc, "a statement expression '({ ... })' whose value is used must end with an expression");
      return e;
    }
    for (int i = 0; i + 1 < b->body.len; i++)
      seq_into(sq, b->body.items[i], pre);
    return value_of(sq, last->expr, pre, post);
  }
  case EX_BINARY:
    if (is_comma(e)) {
      effects_of(sq, e->lhs, e->loc, false, pre);
      return value_of(sq, e->rhs, pre, post);
    }
    if (e->op == OP_LAND || e->op == OP_LOR) {
      int posts = post->len;
      e->lhs = value_of(sq, e->lhs, pre, post);
      if (post->len != posts || has_effect(sq, e->rhs)) {
        fail(sq, e->loc, post->len != posts
                             ? "a postfix '++' or '--' in the left operand of '&&' or '||' is not supported; "
                               "step the variable in a statement of its own"
                             : "an assignment, '++' or '--' in the right operand of '&&' or '||', which runs "
                               "only sometimes, is not supported; write it as an if statement");
      }
      return e;
    }
    break;
  case EX_COND: {
    int posts = post->len;
    e->cond = value_of(sq, e->cond, pre, post);
    if (post->len != posts || has_effect(sq, e->lhs) || has_effect(sq, e->rhs))
      fail(sq, e->loc, post->len != posts
                           ? "a postfix '++' or '--' in the condition of '?:' is not supported; step the "
                             "variable in a statement of its own"
                           : "an assignment, '++' or '--' in a branch of '?:', which runs only sometimes, is not "
                             "supported; write it as an if statement");
    return e;
  }
  default:
    break;
  }
  e->lhs = value_of(sq, e->lhs, pre, post);
  e->rhs = value_of(sq, e->rhs, pre, post);
  e->cond = value_of(sq, e->cond, pre, post);
  for (int i = 0; i < e->args.len; i++)
    e->args.items[i] = value_of(sq, e->args.items[i], pre, post);
  if (is_outside_value_call(e, sq->ad)) {
    /* declared here, so normalize.c hoists it as any local (a first
     * value outside loops needs no save) */
    Var *t = ad_new_local(sq->ad, format("%s_value", e->text), type_unqualified(e->type), false);
    t->loc = e->loc;
    vec_push(&sq->ad->f->locals, t);
    Stmt *d = new_stmt(ST_DECL, e->loc);
    d->var = t;
    d->init = e;
    vec_push(pre, d);
    return expr_var(t, e->loc);
  }
  return e;
}

/* The statements that evaluate e for its effects, its value unused.  At
 * the top of an expression statement, an expression without effects
 * stays a statement (`(void)x;`); inside a comma it is dropped unless it
 * calls something (`(void) sizeof (c)` in assert). */
static void effects_of(Seq *sq, Expr *e, Loc loc, bool top, Vec *out) {
  if (!e || sq->failed)
    return;
  if (is_comma(e)) {
    effects_of(sq, e->lhs, loc, false, out);
    effects_of(sq, e->rhs, loc, false, out);
    return;
  }
  if (e->kind == EX_STMT_EXPR) {
    seq_into(sq, e->stmts, out);
    return;
  }
  if (e->kind == EX_CAST && e->type->kind == TY_VOID && has_effect_or_call(sq, e->lhs) &&
      (has_effect(sq, e->lhs) || e->lhs->kind != EX_CALL)) {
    effects_of(sq, e->lhs, loc, false, out);
    return;
  }
  bool lazy = e->kind == EX_BINARY && (e->op == OP_LAND || e->op == OP_LOR);
  if ((e->kind == EX_COND && (has_effect_or_call(sq, e->lhs) || has_effect_or_call(sq, e->rhs))) ||
      (lazy && has_effect_or_call(sq, e->rhs))) {
    /* c ? f() : g(), c && f(), c || f(): an if statement */
    Vec pre = {0}, post = {0}, then = {0}, els = {0};
    Expr *c = value_of(sq, e->kind == EX_COND ? e->cond : e->lhs, &pre, &post);
    Vec post2 = copies(&post);
    append(&then, &post);
    append(&els, &post2);
    if (e->kind == EX_COND) {
      effects_of(sq, e->lhs, loc, false, &then);
      effects_of(sq, e->rhs, loc, false, &els);
    } else {
      effects_of(sq, e->rhs, loc, false, e->op == OP_LAND ? &then : &els);
    }
    append(out, &pre);
    vec_push(out, stmt_if(c, block_of(&then, e->loc), els.len ? block_of(&els, e->loc) : NULL));
    free(els.items);
    return;
  }
  if (!has_effect(sq, e) && !(top || expr_has_kind(e, EX_CALL)))
    return;
  Stmt *st = stmt_expr(e);
  st->loc = loc;
  if (e->kind == EX_CALL || (e->kind == EX_ASSIGN && e->op == OP_NONE && e->rhs->kind == EX_CALL)) {
    /* f(x); and y = f(x); already make the call once, in a statement (y *= f(x) needs its value again) */
    Expr *call = e->kind == EX_CALL ? e : e->rhs;
    if (!has_effect(sq, e->kind == EX_ASSIGN ? e->lhs : NULL) && !args_have_effect(sq, call)) {
      vec_push(out, st);
      return;
    }
  }
  bool untouched = !has_effect(sq, e) ||
                   (e->kind == EX_ASSIGN && !has_effect_but_incdec(sq, e->lhs) && !has_effect_but_incdec(sq, e->rhs)) ||
                   (e->kind == EX_INCDEC && !has_effect(sq, e->lhs));
  if (untouched) {
    vec_push(out, st);
    return;
  }
  Vec pre = {0}, post = {0};
  if (e->kind == EX_ASSIGN || e->kind == EX_INCDEC) {
    e->lhs = value_of(sq, e->lhs, &pre, &post);
    e->rhs = value_of(sq, e->rhs, &pre, &post);
  } else {
    st->expr = value_of(sq, e, &pre, &post);
  }
  append(out, &pre);
  if (st->expr->kind != EX_VAR || top)
    vec_push(out, st);
  append(out, &post);
}

/* Whether s (a loop's body) has a continue of that loop. */
static bool has_own_continue(Stmt *s) {
  if (!s)
    return false;
  switch (s->kind) {
  case ST_CONTINUE:
    return true;
  case ST_FOR:
  case ST_WHILE:
  case ST_DO:
    return false;
  default:
    break;
  }
  for (int i = 0; i < s->body.len; i++)
    if (has_own_continue(s->body.items[i]))
      return true;
  return has_own_continue(s->then) || has_own_continue(s->els);
}

/* `pre; if (!c) { post; break; } post;`: a loop condition with effects,
 * evaluated at the top or the bottom of `while (1)`'s body. */
static void test_and_exit(Seq *sq, Expr *cond, Loc loc, Vec *out) {
  Vec pre = {0}, post = {0};
  Expr *c = value_of(sq, cond, &pre, &post);
  Vec exit = copies(&post);
  vec_push(&exit, new_stmt(ST_BREAK, loc));
  append(out, &pre);
  vec_push(out, stmt_if(expr_unary(EX_NOT, c, type_int()), block_of(&exit, loc), NULL));
  append(out, &post);
}

/* The variable a for's step counts with: `i` of `i++`, `i += k`, `i = i + k`. */
static Var *step_counter(Expr *step) {
  if (step && (step->kind == EX_INCDEC || step->kind == EX_ASSIGN) && step->lhs->kind == EX_VAR)
    return step->lhs->var;
  return NULL;
}

static bool stmt_touches(Stmt *s, Var *v) { return stmt_count_uses(s, v) > 0; }

/* for (a, b; c; d, e): each part of the init and step a statement of its
 * own.  The loop's counter keeps its place in the for (so the loop stays
 * a counted one) when the other parts do not use it; the other steps go
 * to the end of the body when no continue would skip them, else the step
 * stays a comma list, which normalize.c runs part by part. */
static void seq_for(Seq *sq, Stmt *s, Vec *out) {
  s->then = seq_single(sq, s->then);
  bool cont = has_own_continue(s->then);
  Vec steps = {0};
  if (s->step && has_effect_but_incdec(sq, s->step)) {
    effects_of(sq, s->step, s->step->loc, false, &steps);
    if (sq->failed)
      return;
  }
  Var *counter = NULL;
  int counter_at = -1;
  for (int i = 0; i < steps.len; i++) {
    Stmt *st = steps.items[i];
    Var *v = st->kind == ST_EXPR ? step_counter(st->expr) : NULL;
    if (v && s->expr && expr_mentions(s->expr, v) && !counter)
      counter = v, counter_at = i;
  }
  for (int i = 0; counter && i < steps.len; i++)
    if (i != counter_at && stmt_touches(steps.items[i], counter))
      counter = NULL;
  if (steps.len) {
    if (!cont && counter) {
      Stmt *kept = steps.items[counter_at];
      s->step = kept->expr;
      for (int i = counter_at; i + 1 < steps.len; i++)
        steps.items[i] = steps.items[i + 1];
      steps.len--;
      Stmt *body = s->then->kind == ST_BLOCK ? s->then : block_of(&(Vec){0}, s->loc);
      if (body != s->then)
        vec_push(&body->body, s->then);
      append(&body->body, &steps);
      s->then = body;
    } else if (!cont) {
      s->step = NULL;
      Stmt *body = block_of(&(Vec){0}, s->loc);
      vec_push(&body->body, s->then);
      append(&body->body, &steps);
      s->then = body;
    } else {
      for (int i = 0; i < steps.len; i++) {
        Stmt *st = steps.items[i];
        if (st->kind != ST_EXPR || (st->expr->kind != EX_ASSIGN && st->expr->kind != EX_INCDEC)) {
          fail(sq, s->step->loc, "this step of a 'for' whose body has 'continue' is not supported; write each "
               "part of the step as an assignment, ++ or --");
          return;
        }
      }
      Expr *chain = ((Stmt *)steps.items[0])->expr;
      for (int i = 1; i < steps.len; i++)
        chain = expr_binary(OP_COMMA, chain, ((Stmt *)steps.items[i])->expr, ((Stmt *)steps.items[i])->expr->type);
      s->step = chain;
      free(steps.items);
    }
  }
  if (s->for_init) {
    Vec init = {0};
    seq_into(sq, s->for_init, &init);
    Var *c = step_counter(s->step && is_comma(s->step) ? NULL : s->step);
    int at = -1;
    for (int i = 0; c && i < init.len; i++) {
      Stmt *st = init.items[i];
      if (st->kind == ST_EXPR && st->expr->kind == EX_ASSIGN && st->expr->op == OP_NONE &&
          st->expr->lhs->kind == EX_VAR && st->expr->lhs->var == c)
        at = i;
    }
    for (int i = 0; at >= 0 && i < init.len; i++)
      if (i != at && stmt_touches(init.items[i], c))
        at = -1;
    if (at < 0 || init.len == 1) {
      s->for_init = init.len ? init.items[init.len - 1] : NULL;
      for (int i = 0; i + 1 < init.len; i++)
        vec_push(out, init.items[i]);
    } else {
      s->for_init = init.items[at];
      for (int i = 0; i < init.len; i++)
        if (i != at)
          vec_push(out, init.items[i]);
    }
    free(init.items);
  }
  if (has_effect(sq, s->expr)) {
    if (cont || (s->step && is_comma(s->step))) {
      fail(sq, s->expr->loc, "an assignment, '++' or '--' in the condition of a 'for' whose body has 'continue' "
           "is not supported; write the loop as 'while'");
      return;
    }
    /* for (init; c; step) body -> init; while (1) { test c; body; step } */
    Stmt *w = new_stmt(ST_WHILE, s->loc);
    w->expr = expr_num("1", type_int());
    Vec body = {0};
    test_and_exit(sq, s->expr, s->loc, &body);
    vec_push(&body, s->then);
    if (s->step) {
      Stmt *st = stmt_expr(s->step);
      st->loc = s->step->loc;
      vec_push(&body, st);
    }
    w->then = block_of(&body, s->loc);
    if (s->for_init)
      vec_push(out, s->for_init);
    vec_push(out, w);
    return;
  }
  vec_push(out, s);
}

static void seq_into(Seq *sq, Stmt *s, Vec *out) {
  if (!s || sq->failed)
    return;
  switch (s->kind) {
  case ST_BLOCK: {
    Vec body = {0};
    for (int i = 0; i < s->body.len; i++)
      seq_into(sq, s->body.items[i], &body);
    free(s->body.items);
    s->body = body;
    vec_push(out, s);
    return;
  }
  case ST_EXPR: {
    int first = out->len;
    effects_of(sq, s->expr, s->loc, true, out);
    /* `#pragma omp atomic` stays on the update it was written before */
    bool kept = !s->omp || !s->omp->openmp; /* without -fopenmp the pragma is dropped (warned) */
    for (int i = first; i < out->len && !kept; i++) {
      Stmt *st = out->items[i];
      if (st->kind == ST_EXPR && st->expr == s->expr) {
        st->omp = s->omp;
        kept = true;
      }
    }
    if (!kept)
      fail(sq, s->loc, "'#pragma omp atomic' before an update vgradcc has to rewrite (it has side effects inside); "
           "keep the update alone in its statement, 'x += e;'");
    return;
  }
  case ST_DECL: {
    if (!has_effect_but_incdec(sq, s->init) || (s->init->kind == EX_CALL && !args_have_effect(sq, s->init))) {
      vec_push(out, s);
      return;
    }
    Vec pre = {0}, post = {0};
    s->init = value_of(sq, s->init, &pre, &post);
    append(out, &pre);
    vec_push(out, s);
    append(out, &post);
    return;
  }
  case ST_IF: {
    s->then = seq_single(sq, s->then);
    s->els = seq_single(sq, s->els);
    if (has_effect(sq, s->expr)) {
      Vec pre = {0}, post = {0};
      s->expr = value_of(sq, s->expr, &pre, &post);
      if (post.len) {
        /* if (x[i++] > 0): i steps on both paths, after the test */
        Vec post2 = copies(&post);
        vec_push(&post, s->then);
        s->then = block_of(&post, s->loc);
        if (s->els)
          vec_push(&post2, s->els);
        s->els = block_of(&post2, s->loc);
      }
      append(out, &pre);
    }
    vec_push(out, s);
    return;
  }
  case ST_RETURN: {
    if (has_effect(sq, s->expr)) {
      Vec pre = {0}, post = {0};
      s->expr = value_of(sq, s->expr, &pre, &post);
      for (int i = 0; i < post.len; i++) {
        /* return x[i++]: a local's step after the return is dead; memory's is not */
        Expr *a = ((Stmt *)post.items[i])->expr;
        if (a->lhs->kind != EX_VAR || a->lhs->var->is_global || a->lhs->var->param_index >= 0) {
          fail(sq, a->loc, "a postfix '++' or '--' of memory in a return statement is not supported; step it in "
               "a statement before the return");
          return;
        }
      }
      free(post.items);
      append(out, &pre);
    }
    vec_push(out, s);
    return;
  }
  case ST_WHILE:
    s->then = seq_single(sq, s->then);
    if (has_effect(sq, s->expr)) {
      /* while (c) body -> while (1) { test c; body } */
      Vec body = {0};
      test_and_exit(sq, s->expr, s->loc, &body);
      vec_push(&body, s->then);
      s->then = block_of(&body, s->loc);
      s->expr = expr_num("1", type_int());
    }
    vec_push(out, s);
    return;
  case ST_DO:
    s->then = seq_single(sq, s->then);
    if (has_effect(sq, s->expr)) {
      if (has_own_continue(s->then)) {
        fail(sq, s->expr->loc, "an assignment, '++' or '--' in the condition of a 'do' loop whose body has "
             "'continue' is not supported; write the loop as 'while'");
        return;
      }
      /* do body while (c) -> while (1) { body; test c } */
      Vec body = {0};
      vec_push(&body, s->then);
      test_and_exit(sq, s->expr, s->loc, &body);
      s->kind = ST_WHILE;
      s->then = block_of(&body, s->loc);
      s->expr = expr_num("1", type_int());
    }
    vec_push(out, s);
    return;
  case ST_FOR:
    seq_for(sq, s, out);
    return;
  default:
    s->then = seq_single(sq, s->then);
    s->els = seq_single(sq, s->els);
    vec_push(out, s);
    return;
  }
}

bool ad_sequence(Ad *ad, Stmt *body) {
  Seq sq = {ad, false};
  Vec out = {0};
  seq_into(&sq, body, &out);
  free(out.items); /* body itself, rewritten in place */
  return !sq.failed;
}
