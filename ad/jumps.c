/* Switch and goto as ifs and flags.  The lowering (normalize.c) and the
 * sweeps know blocks, ifs, loops, break, continue and return; this pass
 * rewrites the switches and forward gotos of a function body (a private
 * copy) into those, before the lowering, so no later stage meets them.
 * A switch becomes one `if` per group of case labels, testing the value:
 * an else-if chain when no group falls through into the next, otherwise
 * a sequence in which a `matched` flag carries the fall-through and a
 * `switch_done` flag, set by break, skips the groups after.  A goto sets a
 * flag named after its label; the statements between it and the label
 * then run under `if (!flag)`, and each loop it leaves is left by a break
 * and an `if (flag) break;` after it.  No loop is added, so no statement
 * ends up in a loop it was not in (which would put its values on the
 * tape).  Backward gotos (a loop written with goto), jumps into a block and
 * case labels nested in other statements are refused. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  Ad *ad;
  int breaks; /* labels made for breaks out of a switch, for unique names */
  Vec flags;  /* Var*: the flags made, dropped at the end if never read */
} JumpPass;

/* How a statement is held by its parent: list->items[index], or *slot. */
typedef struct {
  Vec *list;
  int index;
  Stmt **slot;
} Hold;

typedef struct {
  Hold *items;
  int len, cap;
} Path;

static Stmt *held(Hold h) { return h.list ? h.list->items[h.index] : *h.slot; }

static void put(Hold h, Stmt *s) {
  if (h.list)
    h.list->items[h.index] = s;
  else
    *h.slot = s;
}

static void path_push(Path *p, Hold h) {
  if (p->len == p->cap) {
    p->cap = p->cap ? 2 * p->cap : 16;
    Hold *items = xcalloc((size_t)p->cap, sizeof(Hold));
    if (p->len)
      memcpy(items, p->items, (size_t)p->len * sizeof(Hold));
    free(p->items);
    p->items = items;
  }
  p->items[p->len++] = h;
}

/* The holders from s's children down to target (which is inside s). */
static bool find_path(Stmt *s, const Stmt *target, Path *p) {
  if (s == target)
    return true;
  for (int i = 0; i < s->body.len; i++) {
    path_push(p, (Hold){&s->body, i, NULL});
    if (find_path(s->body.items[i], target, p))
      return true;
    p->len--;
  }
  Stmt **slots[2] = {&s->then, &s->els};
  for (int k = 0; k < 2; k++) {
    if (!*slots[k])
      continue;
    path_push(p, (Hold){NULL, 0, slots[k]});
    if (find_path(*slots[k], target, p))
      return true;
    p->len--;
  }
  return false;
}

static bool is_loop(const Stmt *s) { return s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO; }

static Stmt *set_flag(Var *flag, Loc loc, const char *value) {
  Stmt *s = stmt_expr(expr_assign(OP_NONE, expr_var(flag, loc), expr_num(value, type_int())));
  s->loc = loc;
  s->is_def = true; /* flags steer the forward sweep only; branches are taped, not retested */
  return s;
}

static Var *new_flag(JumpPass *jp, const char *base) {
  Var *v = ad_new_local(jp->ad, base, type_int(), true);
  vec_push(&jp->ad->f->locals, v);
  vec_push(&jp->flags, v);
  return v;
}

static Expr *not_flag(Var *flag, Loc loc) { return expr_unary(EX_NOT, expr_var(flag, loc), type_int()); }

/* list[from, to) moved into `if (!flag) { ... }` at from. */
static void guard_range(Vec *list, int from, int to, Var *flag) {
  if (from >= to)
    return;
  Stmt *first = list->items[from];
  Stmt *g = new_stmt(ST_IF, first->loc);
  g->expr = not_flag(flag, first->loc);
  g->then = stmt_block(first->loc);
  for (int i = from; i < to; i++)
    vec_push(&g->then->body, list->items[i]);
  list->items[from] = g;
  memmove(&list->items[from + 1], &list->items[to], (size_t)(list->len - to) * sizeof(void *));
  list->len -= to - from - 1;
}

/* s, then `after`, where s is held. */
static void insert_after(Hold h, Stmt *after) {
  if (h.list) {
    vec_insert_at(h.list, h.index + 1, after);
    return;
  }
  Stmt *b = stmt_block((*h.slot)->loc);
  vec_push(&b->body, *h.slot);
  vec_push(&b->body, after);
  *h.slot = b;
}

/* ---- walks ---- */

typedef struct {
  const Stmt *target;
  int count;
} Order;

static WalkStep count_until(Stmt *s, void *ctx) {
  Order *o = ctx;
  if (s == o->target)
    return WALK_STOP;
  o->count++;
  return WALK_ON;
}

/* s's position in the body, statements counted in source order. */
static int order_of(Stmt *root, const Stmt *s) {
  Order o = {s, 0};
  walk_stmt(root, &(Walker){.stmt_pre = count_until, .ctx = &o});
  return o.count;
}

typedef struct {
  StmtKind kind;
  const char *label; /* ST_GOTO: only those naming it */
  Stmt *found;
} Find;

static WalkStep stop_at_kind(Stmt *s, void *ctx) {
  Find *f = ctx;
  if (s->kind == f->kind && (!f->label || !strcmp(s->text, f->label))) {
    f->found = s;
    return WALK_STOP;
  }
  return WALK_ON;
}

/* The first statement of that kind in source order, NULL if none. */
static Stmt *first_of(Stmt *root, StmtKind kind, const char *label) {
  Find f = {kind, label, NULL};
  walk_stmt(root, &(Walker){.stmt_pre = stop_at_kind, .ctx = &f});
  return f.found;
}

typedef struct {
  const char *label;
  Vec gotos;
} GotosTo;

static WalkStep add_goto(Stmt *s, void *ctx) {
  GotosTo *g = ctx;
  if (s->kind == ST_GOTO && !strcmp(s->text, g->label))
    vec_push(&g->gotos, s);
  return WALK_ON;
}

/* A break of the switch being rewritten: not inside a loop of its body
 * (inner switches are rewritten already). */
static WalkStep add_switch_break(Stmt *s, void *out) {
  if (is_loop(s))
    return WALK_SKIP;
  if (s->kind == ST_BREAK)
    vec_push(out, s);
  return WALK_ON;
}

/* ---- goto ---- */

/* A goto whose label is behind it, or inside a statement it is not in. */
static void refuse_goto(Stmt *root, Stmt *g, Stmt *label) {
  if (order_of(root, g) > order_of(root, label))
    error_at(g->loc, "'goto %s' jumps back to the label on line %d; only forward jumps are supported: write the "
             "repetition as a loop (while, for or do)", g->text, label->loc.line);
  else
    error_at(g->loc, "'goto %s' jumps into a block: label '%s' on line %d is inside a statement (a block, a branch, a "
             "loop or another case of a switch) that does not contain the goto; move the label out to the block "
             "that holds the goto or one around it", g->text, g->text, label->loc.line);
}

/* The holder, on g's path, of the statement of `list` that contains g; -1 if none. */
static int frame_in(Path *p, Vec *list) {
  for (int q = 0; q < p->len; q++)
    if (p->items[q].list == list)
      return q;
  return -1;
}

/* Takes the gotos to `label` (held at lh, the first label of the body in
 * source order, so no label before it is left): each must be inside a
 * statement that comes before the label in the label's own list. */
static bool rewrite_label(JumpPass *jp, Stmt *root, Stmt *label, Hold lh) {
  GotosTo to = {label->text, {0}};
  walk_stmt(root, &(Walker){.stmt_pre = add_goto, .ctx = &to});
  Vec gotos = to.gotos;
  bool ok = true;
  int first = -1; /* the first statement of the label's list that holds a goto */
  for (int i = 0; i < gotos.len; i++) {
    Path p = {0};
    find_path(root, gotos.items[i], &p);
    int r = lh.list ? frame_in(&p, lh.list) : -1;
    if (r < 0 || p.items[r].index >= lh.index) {
      refuse_goto(root, gotos.items[i], label);
      ok = false;
    } else if (first < 0 || p.items[r].index < first) {
      first = p.items[r].index;
    }
    free(p.items);
  }
  free(gotos.items);
  if (ok && first >= 0) {
    Var *flag = label->var;
    if (!flag) {
      flag = new_flag(jp, format("goto_%s", label->text));
      Stmt *at = lh.list->items[first];
      vec_insert_at(lh.list, first, set_flag(flag, at->loc, "0"));
    }
    for (Stmt *g; (g = first_of(root, ST_GOTO, label->text));) {
      Path p = {0};
      find_path(root, g, &p);
      int r = frame_in(&p, lh.list);
      /* the loops it leaves, innermost first */
      Vec loops = {0};
      for (int q = p.len - 2; q >= r; q--)
        if (is_loop(held(p.items[q])))
          vec_push(&loops, &p.items[q]);
      int outer_loop = loops.len ? (int)((Hold *)loops.items[loops.len - 1] - p.items) : -1;
      Stmt *set = set_flag(flag, g->loc, "1");
      if (loops.len) { /* leave the innermost by break, each other by `if (flag) break;` after the one inside it */
        Stmt *b = stmt_block(g->loc);
        vec_push(&b->body, set);
        vec_push(&b->body, new_stmt(ST_BREAK, g->loc));
        set = b;
      }
      put(p.items[p.len - 1], set);
      for (int i = 0; i + 1 < loops.len; i++) {
        Stmt *leave = new_stmt(ST_IF, g->loc);
        leave->expr = expr_var(flag, g->loc);
        leave->then = new_stmt(ST_BREAK, g->loc);
        insert_after(*(Hold *)loops.items[i], leave);
      }
      free(loops.items);
      /* above the loops (or from the goto), the rest of each list up to the label's */
      int from = outer_loop >= 0 ? outer_loop : p.len - 1;
      for (int q = from; q > r; q--)
        if (p.items[q].list)
          guard_range(p.items[q].list, p.items[q].index + 1, p.items[q].list->len, flag);
      int j = 0;
      while (lh.list->items[j] != label)
        j++;
      guard_range(lh.list, p.items[r].index + 1, j, flag);
      free(p.items);
    }
  }
  /* the label goes, its statement stays */
  int j = 0;
  if (lh.list)
    while (lh.list->items[j] != label)
      j++;
  put((Hold){lh.list, j, lh.slot}, label->then ? label->then : new_stmt(ST_EMPTY, label->loc));
  return ok;
}

static bool rewrite_gotos(JumpPass *jp, Stmt *root) {
  bool ok = true;
  for (Stmt *label; (label = first_of(root, ST_LABEL, NULL));) {
    Path p = {0};
    find_path(root, label, &p);
    Hold lh = p.items[p.len - 1];
    free(p.items);
    ok &= rewrite_label(jp, root, label, lh);
  }
  return ok;
}

/* ---- switch ---- */

/* One group of case labels and the statements they lead to, up to the next label. */
typedef struct {
  Vec cases; /* ST_CASE* */
  bool is_default;
  Vec stmts;
  bool trailing_break; /* its last statement was a break of the switch */
  bool inner_breaks;   /* it has other breaks of the switch */
  bool falls;          /* it may run into the next group */
  Loc loc;
} Group;

/* Whether control may leave s at its end (false when s surely jumps). */
static bool completes(const Stmt *s) {
  switch (s->kind) {
  case ST_BREAK:
  case ST_CONTINUE:
  case ST_RETURN:
  case ST_GOTO:
    return false;
  case ST_BLOCK:
    return s->body.len == 0 || completes(s->body.items[s->body.len - 1]);
  case ST_IF:
    return !s->els || completes(s->then) || completes(s->els);
  case ST_LABEL:
    return !s->then || completes(s->then);
  default:
    return true;
  }
}

/* Drops a break that ends the list (or a block ending it). */
static bool pop_trailing_break(Vec *list) {
  if (!list->len)
    return false;
  Stmt *last = list->items[list->len - 1];
  if (last->kind == ST_BREAK) {
    list->len--;
    return true;
  }
  return last->kind == ST_BLOCK && pop_trailing_break(&last->body);
}

static WalkStep refuse_case(Stmt *s, void *unused) {
  (void)unused;
  if (s->kind != ST_CASE)
    return WALK_ON;
  if (s->expr)
    error_at(s->loc, "'case %s' inside another statement of the switch (as in Duff's device) is not supported; put "
             "each case label directly in the switch's braces", expr_to_user_c(s->expr));
  else
    error_at(s->loc, "'default' inside another statement of the switch (as in Duff's device) is not supported; put "
             "each case label directly in the switch's braces");
  return WALK_ON;
}

static WalkStep refuse_label(Stmt *s, void *unused) {
  (void)unused;
  if (s->kind != ST_LABEL)
    return WALK_ON;
  error_at(s->loc, "label '%s' before the first case of a switch is never reached; move it out of the switch",
           s->text);
  return WALK_ON;
}

static WalkStep drop_init(Stmt *s, void *unused) {
  (void)unused;
  if (s->kind == ST_DECL)
    s->init = NULL;
  return WALK_ON;
}

static bool only_decls(const Stmt *s) {
  if (s->kind == ST_DECL)
    return true;
  if (s->kind != ST_BLOCK)
    return false;
  for (int i = 0; i < s->body.len; i++)
    if (!only_decls(s->body.items[i]))
      return false;
  return true;
}

static Expr *or_else(Expr *a, Expr *b) { return a ? expr_binary(OP_LOR, a, b, type_int()) : b; }

/* value == c, or lo <= value && value <= hi for a range. */
static Expr *case_test(Expr *value, Stmt *c) {
  if (!c->step)
    return expr_binary(OP_EQ, expr_copy(value), expr_copy(c->expr), type_int());
  return expr_binary(OP_LAND, expr_binary(OP_GE, expr_copy(value), expr_copy(c->expr), type_int()),
                     expr_binary(OP_LE, expr_copy(value), expr_copy(c->step), type_int()), type_int());
}

/* Whether a group is entered by the value: one of its cases, or, for the
 * default's group, none of the other groups' cases.  NULL: always. */
static Expr *group_test(Expr *value, Group *groups, int n, int k) {
  Expr *any = NULL;
  for (int g = 0; g < n; g++) {
    if ((g == k) == groups[k].is_default)
      continue;
    for (int i = 0; i < groups[g].cases.len; i++) {
      Stmt *c = groups[g].cases.items[i];
      if (c->expr)
        any = or_else(any, case_test(value, c));
    }
  }
  if (groups[k].is_default)
    return any ? expr_unary(EX_NOT, any, type_int()) : NULL;
  return any;
}

static bool has_side_effects(Expr *e) {
  return expr_has_kind(e, EX_CALL) || expr_has_kind(e, EX_ASSIGN) || expr_has_kind(e, EX_INCDEC);
}

static Stmt *group_block(Group *g) {
  Stmt *b = stmt_block(g->loc);
  for (int i = 0; i < g->stmts.len; i++)
    vec_push(&b->body, g->stmts.items[i]);
  return b;
}

static Stmt *rewrite_switch(JumpPass *jp, Stmt *sw) {
  int errors = error_count();
  Stmt *out = stmt_block(sw->loc);
  Vec one = {0};
  vec_push(&one, sw->then);
  Vec *items = sw->then->kind == ST_BLOCK ? &sw->then->body : &one;
  Group *groups = xcalloc((size_t)items->len + 1, sizeof(Group));
  int n = 0;
  for (int i = 0; i < items->len; i++) {
    Stmt *s = items->items[i];
    if (s->kind == ST_CASE) {
      Group *g = &groups[n++];
      g->loc = s->loc;
      for (; s->kind == ST_CASE; s = s->then) {
        vec_push(&g->cases, s);
        g->is_default |= !s->expr;
      }
      vec_push(&g->stmts, s);
    } else if (n) {
      vec_push(&groups[n - 1].stmts, s);
    } else if (only_decls(s)) {
      /* before the first case: never run, but its variables are in scope */
      walk_stmt(s, &(Walker){.stmt_pre = drop_init});
      vec_push(&out->body, s);
    } else {
      walk_stmt(s, &(Walker){.stmt_pre = refuse_case});
      walk_stmt(s, &(Walker){.stmt_pre = refuse_label});
    }
  }
  free(one.items);
  for (int k = 0; k < n; k++)
    for (int i = 0; i < groups[k].stmts.len; i++)
      walk_stmt(groups[k].stmts.items[i], &(Walker){.stmt_pre = refuse_case});
  if (error_count() > errors)
    return out;

  Expr *value = sw->expr;
  if (!n) {
    if (has_side_effects(value)) /* evaluated all the same */
      vec_push(&out->body, stmt_expr(value));
    free(groups);
    return out;
  }
  if (has_side_effects(value)) {
    Var *v = ad_new_local(jp->ad, "switch_value", type_unqualified(value->type), true);
    vec_push(&jp->ad->f->locals, v);
    Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(v, value->loc), value));
    a->loc = sw->loc;
    vec_push(&out->body, a);
    value = expr_var(v, value->loc);
  }
  bool chain = true; /* no group runs into the next: an else-if chain */
  for (int k = 0; k < n; k++) {
    Group *g = &groups[k];
    g->trailing_break = pop_trailing_break(&g->stmts);
    Vec breaks = {0};
    for (int i = 0; i < g->stmts.len; i++)
      walk_stmt(g->stmts.items[i], &(Walker){.stmt_pre = add_switch_break, .ctx = &breaks});
    g->inner_breaks = breaks.len > 0;
    free(breaks.items);
    g->falls = k < n - 1 && !g->trailing_break && (!g->stmts.len || completes(g->stmts.items[g->stmts.len - 1]));
    chain &= !g->falls;
  }
  /* switch_done: set by a break, it skips the rest of the switch */
  bool any_break = false;
  for (int k = 0; k < n; k++)
    any_break |= groups[k].inner_breaks || (!chain && groups[k].trailing_break && k < n - 1);
  Var *done = any_break ? new_flag(jp, "switch_done") : NULL;
  Var *matched = NULL; /* the previous group ran into this one */
  for (int k = 0; k < n; k++)
    if (groups[k].falls && !matched)
      matched = new_flag(jp, "matched");
  if (done)
    vec_push(&out->body, set_flag(done, sw->loc, "0"));
  if (matched)
    vec_push(&out->body, set_flag(matched, sw->loc, "0"));

  /* a break inside a group: a jump to its end, which sets switch_done */
  for (int k = 0; k < n; k++) {
    Group *g = &groups[k];
    if (!g->inner_breaks)
      continue;
    Stmt *end = new_stmt(ST_LABEL, g->loc);
    end->text = format("switch break %d", ++jp->breaks); /* no C label has a space */
    end->then = new_stmt(ST_EMPTY, g->loc);
    end->var = done;
    Vec breaks = {0};
    for (int i = 0; i < g->stmts.len; i++)
      walk_stmt(g->stmts.items[i], &(Walker){.stmt_pre = add_switch_break, .ctx = &breaks});
    for (int i = 0; i < breaks.len; i++) {
      Stmt *b = breaks.items[i];
      b->kind = ST_GOTO;
      b->text = end->text;
    }
    free(breaks.items);
    vec_push(&g->stmts, end);
  }

  if (chain) {
    /* if (tests of group 0) {...} else if (...) {...} else {default's group} */
    Stmt *first = NULL, *last = NULL;
    int def = -1;
    for (int k = 0; k <= n; k++) {
      if (k < n && groups[k].is_default) {
        def = k;
        continue;
      }
      int at = k < n ? k : def;
      if (at < 0)
        break;
      Expr *test = k < n ? group_test(value, groups, n, k) : NULL;
      Stmt *body = group_block(&groups[at]);
      Stmt *s = body;
      if (test) {
        s = new_stmt(ST_IF, groups[at].loc);
        s->expr = test;
        s->then = body;
      }
      if (last)
        last->els = s;
      else
        first = s;
      if (!test)
        break;
      last = s;
    }
    if (first)
      vec_push(&out->body, first);
  } else {
    bool done_possible = false; /* an earlier group may have set switch_done */
    for (int k = 0; k < n; k++) {
      Group *g = &groups[k];
      Expr *test = group_test(value, groups, n, k);
      if (test && k > 0 && groups[k - 1].falls)
        test = expr_binary(OP_LOR, expr_var(matched, g->loc), test, type_int());
      if (done_possible)
        test = test ? expr_binary(OP_LAND, not_flag(done, g->loc), test, type_int()) : not_flag(done, g->loc);
      Stmt *body = stmt_block(g->loc);
      if (g->falls)
        vec_push(&body->body, set_flag(matched, g->loc, "1"));
      vec_push(&body->body, group_block(g));
      if (g->trailing_break && k < n - 1)
        vec_push(&body->body, set_flag(done, g->loc, "1"));
      done_possible |= g->inner_breaks || (g->trailing_break && k < n - 1);
      if (!test) {
        vec_push(&out->body, body);
        continue;
      }
      Stmt *s = new_stmt(ST_IF, g->loc);
      s->expr = test;
      s->then = body;
      vec_push(&out->body, s);
    }
  }
  for (int k = 0; k < n; k++) {
    free(groups[k].cases.items);
    free(groups[k].stmts.items);
  }
  free(groups);
  return out;
}

/* Rewrites the switches inside *slot, innermost first. */
static void rewrite_switches(JumpPass *jp, Stmt **slot) {
  Stmt *s = *slot;
  if (!s)
    return;
  for (int i = 0; i < s->body.len; i++)
    rewrite_switches(jp, (Stmt **)&s->body.items[i]);
  rewrite_switches(jp, &s->then);
  rewrite_switches(jp, &s->els);
  if (s->kind == ST_SWITCH)
    *slot = rewrite_switch(jp, s);
}

typedef struct {
  Var *v;
  bool read;
} FlagUse;

static WalkStep find_flag_read(Stmt *s, void *ctx) {
  FlagUse *u = ctx;
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR && s->expr->lhs->var == u->v)
    return WALK_ON; /* set, not read */
  if (expr_mentions(s->expr, u->v) || expr_mentions(s->init, u->v) || expr_mentions(s->step, u->v)) {
    u->read = true;
    return WALK_STOP;
  }
  return WALK_ON;
}

static WalkStep drop_set(Stmt *s, void *flag) {
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR && s->expr->lhs->var == flag) {
    s->kind = ST_EMPTY;
    s->expr = NULL;
  }
  return WALK_ON;
}

static void vec_remove(Vec *v, bool (*match)(void *item, void *ctx), void *ctx) {
  int k = 0;
  for (int i = 0; i < v->len; i++)
    if (!match(v->items[i], ctx))
      v->items[k++] = v->items[i];
  v->len = k;
}

static bool decl_of(void *item, void *var) { return ((Stmt *)item)->var == var; }
static bool same(void *item, void *var) { return item == var; }

/* A flag no test reads (a goto right before its label) goes, with its sets
 * and declaration: the generated code would set a variable it never uses. */
static void drop_unread_flags(JumpPass *jp, Stmt *body) {
  for (int i = 0; i < jp->flags.len; i++) {
    FlagUse u = {jp->flags.items[i], false};
    walk_stmt(body, &(Walker){.stmt_pre = find_flag_read, .ctx = &u});
    if (u.read)
      continue;
    walk_stmt(body, &(Walker){.stmt_pre = drop_set, .ctx = u.v});
    vec_remove(&jp->ad->decls, decl_of, u.v);
    vec_remove(&jp->ad->f->locals, same, u.v);
  }
}

static WalkStep stop_at_jump(Stmt *s, void *unused) {
  (void)unused;
  return s->kind == ST_SWITCH || s->kind == ST_CASE || s->kind == ST_GOTO || s->kind == ST_LABEL ? WALK_STOP
                                                                                                 : WALK_ON;
}

bool ad_rewrite_jumps(Ad *ad, Stmt *body) {
  if (walk_stmt(body, &(Walker){.stmt_pre = stop_at_jump}))
    return true; /* nothing to do */
  JumpPass jp = {ad, 0, {0}};
  int errors = error_count();
  rewrite_switches(&jp, &body);
  bool ok = error_count() == errors && rewrite_gotos(&jp, body);
  if (ok) {
    assert(walk_stmt(body, &(Walker){.stmt_pre = stop_at_jump}));
    drop_unread_flags(&jp, body);
  }
  free(jp.flags.items);
  return ok;
}
