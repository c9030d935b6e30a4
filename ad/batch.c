/* Tape runs: one reservation (or one ensure), then unchecked puts (takes).
 *
 * A straight run of pushes onto one stack, or a counted loop whose body is
 * one, reserves room for all of them once; the pushes then skip their
 * capacity checks.  Pops likewise, with one ensure. */
#include "reverse.h"

#include <limits.h>
#include <stdlib.h>

/* How code uses the tape: pushes and pops by stack, and any other call on
 * it (turn, count, ...), which stops a run being batched. */
typedef struct {
  int push[TAPE_STACKS], pop[TAPE_STACKS];
  bool other;
} TapeUse;

static void tape_use(Expr *e, Var *tape, TapeUse *u) {
  if (!e)
    return;
  if (expr_is_tape_call(e) && e->args.len && expr_mentions(e->args.items[0], tape)) {
    int stack = tape_call_stack(e);
    if (e->call == CALL_TAPE_PUSH)
      u->push[tape_storage(stack)] += tape_items(stack);
    else if (e->call == CALL_TAPE_POP)
      u->pop[tape_storage(stack)] += tape_items(stack);
    else
      u->other = true;
  } else if (e->kind == EX_CALL && e->call == CALL_RECURSIVE) {
    u->other = true; /* a recursive function's forward or reverse function pushes or pops on it */
  }
  tape_use(e->lhs, tape, u);
  tape_use(e->rhs, tape, u);
  tape_use(e->cond, tape, u);
  for (int i = 0; i < e->args.len; i++)
    tape_use(e->args.items[i], tape, u);
}

/* The expression of a statement of a straight run (NULL: none). */
static Expr *run_expr(Stmt *s) { return s->kind == ST_EXPR ? s->expr : s->kind == ST_DECL ? s->init : NULL; }

/* A block of such statements counts as one (a save with its note, tape.c). */
static bool in_run(Stmt *s) {
  if (s && s->kind == ST_BLOCK) {
    for (int i = 0; i < s->body.len; i++)
      if (!in_run(s->body.items[i]))
        return false;
    return true;
  }
  return s && (s->kind == ST_EXPR || s->kind == ST_DECL || s->kind == ST_COMMENT || s->kind == ST_EMPTY);
}

static void stmt_tape_use(Stmt *s, Var *tape, TapeUse *u) {
  if (s->kind == ST_BLOCK)
    for (int i = 0; i < s->body.len; i++)
      stmt_tape_use(s->body.items[i], tape, u);
  else
    tape_use(run_expr(s), tape, u);
}

static int total(const int *n) {
  int sum = 0;
  for (int j = 0; j < TAPE_STACKS; j++)
    sum += n[j];
  return sum;
}

/* vg_tape_push_X(&tape, v) -> vg_tape_put_X(&tape, v) inside e (pop -> take
 * when not pushing), for the stacks in `which`. */
static void rename_tape_calls(Expr *e, Var *tape, bool pushing, const bool *which) {
  if (!e)
    return;
  if (e->kind == EX_CALL && e->call == (pushing ? CALL_TAPE_PUSH : CALL_TAPE_POP) &&
      expr_mentions(e->args.items[0], tape) && which[tape_storage(tape_call_stack(e))]) {
    Expr *batched = tape_stack_call(pushing ? CALL_TAPE_PUT : CALL_TAPE_TAKE, pushing ? "put" : "take",
                                    tape_call_stack(e), e->type, NULL, NULL);
    e->text = batched->text;
    e->call = batched->call;
  }
  rename_tape_calls(e->lhs, tape, pushing, which);
  rename_tape_calls(e->rhs, tape, pushing, which);
  rename_tape_calls(e->cond, tape, pushing, which);
  for (int i = 0; i < e->args.len; i++)
    rename_tape_calls(e->args.items[i], tape, pushing, which);
}

static void rename_stmt_tape_calls(Stmt *s, Var *tape, bool pushing, const bool *which) {
  if (s->kind == ST_BLOCK)
    for (int i = 0; i < s->body.len; i++)
      rename_stmt_tape_calls(s->body.items[i], tape, pushing, which);
  else
    rename_tape_calls(run_expr(s), tape, pushing, which);
}

static bool is_call_besides_tape(const Expr *e, const void *unused) {
  (void)unused;
  return e->kind == EX_CALL && !expr_is_tape_call(e);
}

static bool calls_besides_tape(Stmt *s) {
  if (s->kind != ST_BLOCK)
    return expr_any(run_expr(s), is_call_besides_tape, NULL);
  for (int i = 0; i < s->body.len; i++)
    if (calls_besides_tape(s->body.items[i]))
      return true;
  return false;
}

/* For each stack with a count in n: `vg_tape_<what>_X(&tape, n * factor)`
 * inserted at `at` (factor NULL: 1); returns how many were inserted.  A
 * run-time factor (a loop's trips, of the counter's type, int as often as
 * not) is multiplied in size_t by vg_tape_items, which stops on overflow:
 * `trips * n` in int wraps for a billion iterations and reserves too few. */
static int insert_batch_calls(Vec *list, int at, Var *tape, const char *what, const int *n, const bool *which,
                              Expr *factor) {
  int inserted = 0;
  for (int j = 0; j < TAPE_STACKS; j++) {
    if (!which[j])
      continue;
    long constant = factor && factor->kind == EX_NUM ? strtol(factor->text, NULL, 10) : -1;
    Expr *count = !factor ? expr_num(format("%d", n[j]), type_long())
                  : constant >= 0 && constant <= LONG_MAX / n[j]
                      ? expr_num(format("%ld", constant * n[j]), type_long())
                  : n[j] == 1 ? expr_copy(factor)
                              : tape_call(CALL_TAPE_OTHER, "items", type_size(), expr_copy(factor),
                                          expr_num(format("%d", n[j]), type_int()));
    Expr *call = tape_stack_call(CALL_TAPE_OTHER, what, j, type_void(), tape_ref_of(tape), count);
    vec_insert_at(list, at + inserted, stmt_expr(call));
    inserted++;
  }
  return inserted;
}

/* Statements [from, to) of a list, with no control flow between them: two
 * or more pushes on a stack become puts after one reservation, or two or
 * more (up to 256) pops become takes after one ensure, when the run uses
 * the tape in no other way.  Returns the statements inserted at `from`. */
static int batch_run(Vec *list, int from, int to, Var *tape) {
  /* A run that begins among the declarations (a read taped before any
   * control flow) has its reservation after the tape's own declaration,
   * just before the first statement using the tape. */
  for (int i = from; i < to; i++) {
    Stmt *s = list->items[i];
    if (s->kind == ST_DECL && s->var == tape) {
      from = i + 1;
      while (from < to) {
        TapeUse first = {{0}, {0}, false};
        stmt_tape_use(list->items[from], tape, &first);
        if (total(first.push) || total(first.pop) || first.other)
          break;
        from++;
      }
      break;
    }
  }
  TapeUse u = {{0}, {0}, false};
  for (int i = from; i < to; i++)
    stmt_tape_use(list->items[i], tape, &u);
  if (u.other || (total(u.push) && total(u.pop)))
    return 0;
  bool pushing = total(u.push) > 0;
  int *n = pushing ? u.push : u.pop;
  bool which[TAPE_STACKS];
  for (int j = 0; j < TAPE_STACKS; j++)
    which[j] = n[j] >= 2 && (pushing || n[j] <= 256);
  for (int i = from; i < to; i++)
    rename_stmt_tape_calls(list->items[i], tape, pushing, which);
  return insert_batch_calls(list, from, tape, pushing ? "reserve" : "ensure", n, which, NULL);
}

/* A counted loop whose body is one straight run: the pushes (or pops) of
 * all its iterations reserved (ensured) before it, at list[at]; returns the
 * statements inserted. */
static int batch_loop(Vec *list, int at, Var *tape) {
  Stmt *loop = list->items[at];
  if (!loop->trips || !loop->then || loop->then->kind != ST_BLOCK)
    return 0;
  Vec *body = &loop->then->body;
  TapeUse u = {{0}, {0}, false};
  bool calls = false;
  for (int i = 0; i < body->len; i++) {
    if (!in_run(body->items[i]))
      return 0;
    stmt_tape_use(body->items[i], tape, &u);
    calls |= calls_besides_tape(body->items[i]);
  }
  bool pushing = total(u.push) > 0;
  if (u.other || pushing == (total(u.pop) > 0)) /* neither, or both */
    return 0;
  /* A forward loop without other calls and with a run-time trip count is
   * one the C compiler vectorises: unchecked stores to the tape would cost
   * it run-time overlap checks against each array it writes, more than a
   * check per push when loops are short (GMM with d = 2: 1.5x -> 1.7x).
   * With a constant count it unrolls instead, and gains (RK4: 4.7x ->
   * 2.4x).  Measured, not derived. */
  if (pushing && !calls && loop->trips->kind != EX_NUM)
    return 0;
  int *n = pushing ? u.push : u.pop;
  bool which[TAPE_STACKS];
  for (int j = 0; j < TAPE_STACKS; j++)
    which[j] = n[j] > 0;
  for (int i = 0; i < body->len; i++)
    rename_stmt_tape_calls(body->items[i], tape, pushing, which);
  return insert_batch_calls(list, at, tape, pushing ? "reserve" : "ensure", n, which, loop->trips);
}

/* Every straight run and counted loop of s, batched as above. */
void batch_tape_runs(Stmt *s, Var *tape) {
  if (!s)
    return;
  if (s->kind == ST_BLOCK) {
    int start = 0;
    for (int i = 0; i <= s->body.len; i++) {
      Stmt *c = i < s->body.len ? s->body.items[i] : NULL;
      if (in_run(c))
        continue;
      i += batch_run(&s->body, start, i, tape);
      if (c && c->trips)
        i += batch_loop(&s->body, i, tape);
      if (c)
        batch_tape_runs(c, tape);
      start = i + 1;
    }
    return;
  }
  batch_tape_runs(s->then, tape);
  batch_tape_runs(s->els, tape); /* a for's init (for_init) is left alone */
}
