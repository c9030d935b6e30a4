/* The tape, and slots: saving a value about to be overwritten.
 *
 * A slot is one overwritten value: its save in the forward sweep (into a
 * local outside loops, onto the tape inside them) and its restore in the
 * reverse sweep; prune.c later drops the slots whose value nothing reads.
 * An integer or pointer step (i += k) is undone by its inverse instead.  The
 * caller's memory that the reverse sweep restores is put back to its final
 * values at the end, from the redo tape. */
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

Var *ad_tape(Reverse *rv) {
  Ad *ad = rv->ad;
  if (!rv->tape) {
    Type *t = xcalloc(1, sizeof(Type));
    t->kind = TY_STRUCT;
    t->name = "vg_tape";
    rv->tape = ad_new_local(ad, "tape", t, true);
  }
  return rv->tape;
}

/* Every array the forward sweep makes, freed when the function ends. */
Var *arrays_list(Reverse *rv) {
  Ad *ad = rv->ad;
  if (!rv->arrays) {
    Type *t = xcalloc(1, sizeof(Type));
    t->kind = TY_STRUCT;
    t->name = "vg_tape";
    rv->arrays = ad_new_local(ad, "arrays", t, true);
  }
  return rv->arrays;
}

Expr *tape_ref_of(Var *t) { return expr_unary(EX_ADDR, expr_var(t, (Loc){0}), type_pointer_to(t->type)); }

Expr *tape_ref(Reverse *rv) { return tape_ref_of(ad_tape(rv)); }

static const char *tape_stacks[TAPE_C32 + 1] = {"f64", "i32", "ptr", "f32", "c64", "c32"};

int tape_storage(int stack) { return stack == TAPE_C64 ? TAPE_F64 : stack == TAPE_C32 ? TAPE_F32 : stack; }

int tape_items(int stack) { return stack == TAPE_C64 || stack == TAPE_C32 ? 2 : 1; }

/* Which of the tape's stacks holds a value of type t. */
int tape_stack_of(Type *t) {
  if (t->kind == TY_PTR)
    return TAPE_PTR;
  if (type_is_integer(t) && (!strcmp(t->name, "int") || !strcmp(t->name, "short") || !strcmp(t->name, "char") ||
                             !strcmp(t->name, "signed char") || !strcmp(t->name, "_Bool")))
    return TAPE_I32;
  if (t->kind == TY_FLOAT)
    return TAPE_F32; /* 4 bytes, not 8 as a double */
  if (type_is_complex(t))
    return type_is_single(t) ? TAPE_C32 : TAPE_C64;
  return TAPE_F64; /* doubles, and wider integers (exact below 2^53) */
}

/* The stack a push or put (the value's), a pop or take (its result's) uses. */
int tape_call_stack(const Expr *call) {
  bool storing = call->call == CALL_TAPE_PUSH || call->call == CALL_TAPE_PUT;
  return tape_stack_of(storing ? ((Expr *)call->args.items[1])->type : call->type);
}

Expr *tape_call(CallKind kind, const char *what, Type *type, Expr *ref, Expr *arg) {
  return expr_runtime_call(kind, format("vg_tape_%s", what), type, ref, arg);
}

/* vg_tape_<what>_<stack>, the stack's functions (push, pop, put, take, reserve, ensure). */
Expr *tape_stack_call(CallKind kind, const char *what, int stack, Type *type, Expr *ref, Expr *arg) {
  return tape_call(kind, format("%s_%s", what, tape_stacks[stack]), type, ref, arg);
}

Expr *ad_tape_push(Reverse *rv, Expr *value) {
  int stack = tape_stack_of(value->type);
  Expr *v = value;
  if (stack == TAPE_PTR) {
    v = new_expr(EX_CAST, type_pointer_to(type_void()), value->loc);
    v->lhs = value;
  }
  return tape_stack_call(CALL_TAPE_PUSH, "push", stack, type_void(), tape_ref(rv), v);
}

Expr *ad_tape_pop(Reverse *rv, Type *type) {
  Expr *pop = tape_stack_call(CALL_TAPE_POP, "pop", tape_stack_of(type), type, tape_ref(rv), NULL);
  if (type_is_integer(type) && tape_stack_of(type) == TAPE_F64) {
    Expr *c = new_expr(EX_CAST, type, pop->loc);
    c->lhs = pop;
    return c;
  }
  return pop;
}

/* A save or restore: a statement, or a block of them. */
static WalkStep set_slot(Stmt *s, void *slot) {
  s->slot = slot;
  return s->kind == ST_BLOCK ? WALK_ON : WALK_SKIP;
}

static void mark_slot(Stmt *s, Slot *slot) { walk_stmt(s, &(Walker){.stmt_pre = set_slot, .ctx = slot}); }

static Stmt *block_of(Stmt *a, Stmt *b) {
  Stmt *blk = stmt_block(a->loc);
  vec_push(&blk->body, a);
  if (b)
    vec_push(&blk->body, b);
  return blk;
}

/* The scalar parts of a struct lvalue, member by member and (fixed arrays)
 * element by element, nested structs included.  False when a part cannot be
 * pushed and assigned back (a union, a const or variable-length part). */
static bool scalar_parts(Expr *lv, Vec *out) {
  Type *t = lv->type;
  if (t->is_const)
    return false;
  if (t->kind == TY_STRUCT) {
    if (t->is_union)
      return false;
    for (int i = 0; i < t->nmembers; i++) {
      Expr *m = new_expr(EX_MEMBER, t->members[i].type, lv->loc);
      m->lhs = expr_copy(lv);
      m->text = t->members[i].name;
      if (!scalar_parts(m, out))
        return false;
    }
    return true;
  }
  if (t->kind == TY_ARRAY) {
    if (t->array_len < 0)
      return false;
    for (long k = 0; k < t->array_len; k++) {
      Expr *e = new_expr(EX_INDEX, t->base, lv->loc);
      e->lhs = expr_copy(lv);
      e->rhs = expr_num(format("%ld", k), type_int());
      if (!scalar_parts(e, out))
        return false;
    }
    return true;
  }
  if (!type_is_floating(t) && !type_is_integer(t) && t->kind != TY_PTR)
    return false;
  vec_push(out, lv);
  return true;
}

/* Saves and restores of one lvalue: on the tape inside loops, else in a
 * local.  False when the tape cannot hold it (see scalar_parts). */
static bool save_restore(Reverse *rv, Expr *lhs, const char *name, Stmt **save, Stmt **restore, Var **save_var) {
  Ad *ad = rv->ad;
  if (rv->loop_depth > 0 && lhs->type->kind == TY_STRUCT) {
    /* The tape holds scalars: a struct goes on it part by part and comes
     * back in the opposite order. */
    Vec parts = {0};
    bool ok = scalar_parts(lhs, &parts);
    *save = stmt_block(lhs->loc);
    *restore = stmt_block(lhs->loc);
    for (int i = 0; i < parts.len; i++)
      vec_push(&(*save)->body, stmt_expr(ad_tape_push(rv, expr_copy(parts.items[i]))));
    for (int i = parts.len - 1; i >= 0; i--) {
      Expr *part = parts.items[i];
      vec_push(&(*restore)->body,
               stmt_expr(expr_assign(OP_NONE, expr_copy(part), ad_tape_pop(rv, type_unqualified(part->type)))));
    }
    free(parts.items);
    return ok;
  }
  if (rv->loop_depth > 0) {
    *save = stmt_expr(ad_tape_push(rv, expr_copy(lhs)));
    *restore = stmt_expr(expr_assign(OP_NONE, expr_copy(lhs), ad_tape_pop(rv, type_unqualified(lhs->type))));
  } else {
    Var *v = ad_new_local(ad, format("save_%s", name), type_unqualified(lhs->type), true);
    *save = stmt_expr(expr_assign(OP_NONE, expr_var(v, lhs->loc), expr_copy(lhs)));
    *restore = stmt_expr(expr_assign(OP_NONE, expr_copy(lhs), expr_var(v, lhs->loc)));
    *save_var = v;
  }
  return true;
}

Var *ad_redo(Reverse *rv) {
  Ad *ad = rv->ad;
  if (!rv->redo) {
    Type *t = xcalloc(1, sizeof(Type));
    t->kind = TY_STRUCT;
    t->name = "vg_tape";
    rv->redo = ad_new_local(ad, "redo", t, true);
  }
  return rv->redo;
}

/* Only variables and constants: the value is the same when the reverse sweep
 * evaluates it, once those variables are restored. */
bool plain_operand(Expr *e) {
  switch (e->kind) {
  case EX_NUM:
  case EX_SIZEOF:
    return true;
  case EX_VAR:
    return !e->var->is_global && (type_is_integer(e->var->type));
  case EX_CAST:
  case EX_NEG:
    return plain_operand(e->lhs);
  case EX_BINARY:
    return (e->op == OP_ADD || e->op == OP_SUB || e->op == OP_MUL) && plain_operand(e->lhs) && plain_operand(e->rhs);
  default:
    return false;
  }
}

/* `v = v + E` or `v += E` on an integer or pointer variable is undone
 * exactly by subtracting E again: nothing to save. Returns E and the sign. */
Expr *step_of(Expr *a, BinOp *op) {
  Expr *lhs = a->lhs;
  if (lhs->kind != EX_VAR || !(type_is_integer(lhs->type) || lhs->type->kind == TY_PTR))
    return NULL;
  Var *v = lhs->var;
  Expr *e = NULL;
  if (a->op == OP_ADD || a->op == OP_SUB) {
    e = a->rhs;
    *op = a->op;
  } else if (a->op == OP_NONE && a->rhs->kind == EX_BINARY && (a->rhs->op == OP_ADD || a->rhs->op == OP_SUB)) {
    Expr *l = a->rhs->lhs;
    while (l->kind == EX_CAST && l->implicit)
      l = l->lhs;
    if (l->kind != EX_VAR || l->var != v)
      return NULL;
    e = a->rhs->rhs;
    *op = a->rhs->op;
  }
  if (!e || expr_mentions(e, v) || !plain_operand(e))
    return NULL;
  return e;
}

Slot *new_inverse_slot(Reverse *rv, Expr *a) {
  BinOp op;
  Expr *step = step_of(a, &op);
  if (!step)
    return NULL;
  BinOp back = op == OP_ADD ? OP_SUB : OP_ADD;
  Var *v = a->lhs->var;
  Slot *slot = xcalloc(1, sizeof(Slot));
  slot->var = v;
  slot->save = new_stmt(ST_EMPTY, a->loc);
  slot->restore = stmt_block(a->loc);
  if (v->type->kind == TY_PTR && v->active) {
    vec_push(&slot->restore->body, stmt_expr(expr_assign(back, expr_var(v->adj, a->loc), expr_copy(step))));
    slot->var2 = v->adj;
  }
  vec_push(&slot->restore->body, stmt_expr(expr_assign(back, expr_var(v, a->loc), expr_copy(step))));
  assert(!slot->var2 || slot->var2 == v->adj); /* a pointer and its adjoint step together */
  mark_slot(slot->save, slot);
  mark_slot(slot->restore, slot);
  vec_push(&rv->slots, slot);
  return slot;
}

/* Kinds of values on the redo tape: 0 double, 1 float, 2 int, 3 long, 4
 * long long (each integer type stored as one of those three), then these
 * types by name, then a pointer (its value on the pointer stack). */
static const char *const redo_named_types[] = {"char",   "signed char", "unsigned char", "short",    "unsigned short",
                                         "_Bool",  "int8_t",      "uint8_t",       "int16_t",  "uint16_t",
                                         "long double"};
enum { REDO_NAMED = 5, REDO_POINTER = REDO_NAMED + sizeof redo_named_types / sizeof redo_named_types[0] };

/* The caller's memory at `part`, about to be restored by the reverse sweep:
 * its value, kind and address onto the redo tape. */
void redo_part(Reverse *rv, Expr *part, Stmt *out) {
  Type *t = part->type;
  if (!type_is_arith(t) && t->kind != TY_PTR)
    return;
  if (type_is_complex(t)) { /* its two parts, ((double *)&z)[0] and [1] */
    for (int k = 0; k < 2; k++) {
      Expr *parts = expr_cast(type_pointer_to(t->base), expr_unary(EX_ADDR, expr_copy(part), type_pointer_to(t)));
      redo_part(rv, expr_index(parts, expr_num(k ? "1" : "0", type_int()), t->base), out);
    }
    return;
  }
  if (expr_is_bit_field(part)) {
    error_at(part->loc, "'%s' is a bit-field of the caller's memory, which vgradcc puts back after the reverse sweep "
             "through its address, and a bit-field has none: declare '%s' a plain integer member",
             expr_to_user_c(part), part->text);
    rv->ad->failed = true;
    return;
  }
  Var *redo = ad_redo(rv);
  Expr *ref = expr_unary(EX_ADDR, expr_var(redo, part->loc), type_pointer_to(redo->type));
  const char *n = t->name ? t->name : "";
  bool wide = strstr(n, "long") || strstr(n, "64") || strstr(n, "size_t") || strstr(n, "ptr");
  int kind = t->kind == TY_DOUBLE ? 0 : t->kind == TY_FLOAT ? 1 : strstr(n, "long long") ? 4 : wide ? 3 : 2;
  for (int i = 0; i < REDO_POINTER - REDO_NAMED; i++)
    if (!strcmp(n, redo_named_types[i]))
      kind = REDO_NAMED + i;
  Expr *val = new_expr(EX_CAST, type_double(), part->loc);
  val->lhs = expr_copy(part);
  if (t->kind == TY_PTR) {
    kind = REDO_POINTER;
    val = expr_num("0", type_double());
    Expr *p = new_expr(EX_CAST, type_pointer_to(type_void()), part->loc);
    p->lhs = expr_copy(part);
    vec_push(&out->body, stmt_expr(tape_stack_call(CALL_TAPE_PUSH, "push", TAPE_PTR, type_void(), expr_copy(ref), p)));
  }
  vec_push(&out->body, stmt_expr(tape_stack_call(CALL_TAPE_PUSH, "push", TAPE_F64, type_void(), ref, val)));
  vec_push(&out->body, stmt_expr(tape_stack_call(CALL_TAPE_PUSH, "push", TAPE_I32, type_void(), expr_copy(ref),
                                                 expr_num(format("%d", kind), type_int()))));
  Expr *addr = new_expr(EX_CAST, type_pointer_to(type_void()), part->loc);
  addr->lhs = expr_unary(EX_ADDR, expr_copy(part), type_pointer_to(t));
  vec_push(&out->body, stmt_expr(tape_stack_call(CALL_TAPE_PUSH, "push", TAPE_PTR, type_void(), expr_copy(ref), addr)));
  rv->redo_kinds |= 1 << kind;
}

/* The type a redo kind below REDO_POINTER stores. */
static Type *redo_type(int kind) {
  static const char *stored[REDO_NAMED] = {"double", "float", "int", "long", "long long"};
  if (kind == 0)
    return type_double();
  const char *name = kind < REDO_NAMED ? stored[kind] : redo_named_types[kind - REDO_NAMED];
  Type *t = xcalloc(1, sizeof(Type));
  t->kind = kind == 1 ? TY_FLOAT : !strcmp(name, "long double") ? TY_LDOUBLE : !strcmp(name, "_Bool") ? TY_BOOL
          : strstr(name, "char") ? TY_CHAR : TY_INT;
  t->name = name;
  return t;
}

/* The loop that puts the caller's memory back to its values after the
 * forward sweep, from the redo tape (values, kinds and addresses):
 *   vg_tape_turn_to_pop(&redo);
 *   while (vg_tape_count_ptr(&redo) > 0) {
 *       void *at = vg_tape_pop_ptr(&redo); int kind = ...; double value = ...;
 *       if (kind == 0) *(double *)at = value; else if ... (the kinds stored)
 *   }
 *   vg_tape_free(&redo); */
Stmt *redo_restore_loop(Reverse *rv, Loc loc) {
  assert(rv->redo && rv->redo_kinds); /* called once something went onto the redo tape */
  Var *redo = rv->redo;
  Type *void_ptr = type_pointer_to(type_void());
  Var *at = var_local("at", void_ptr), *kind = var_local("kind", type_int());
  Var *value = var_local("value", type_double());
  Stmt *body = stmt_block(loc);
  vec_push(&body->body,
           stmt_decl(at, tape_stack_call(CALL_TAPE_POP, "pop", TAPE_PTR, void_ptr, tape_ref_of(redo), NULL)));
  vec_push(&body->body,
           stmt_decl(kind, tape_stack_call(CALL_TAPE_POP, "pop", TAPE_I32, type_int(), tape_ref_of(redo), NULL)));
  vec_push(&body->body,
           stmt_decl(value, tape_stack_call(CALL_TAPE_POP, "pop", TAPE_F64, type_double(), tape_ref_of(redo), NULL)));
  Stmt *stores = NULL; /* if (kind == k) store; else ..., built from the last kind */
  for (int k = REDO_POINTER; k >= 0; k--) {
    if (!(rv->redo_kinds & (1 << k)))
      continue;
    Expr *store;
    if (k == REDO_POINTER) { /* memcpy(at, &(void *){vg_tape_pop_ptr(&redo)}, sizeof(void *)) */
      Expr *items = new_expr(EX_INIT, void_ptr, loc);
      vec_push(&items->args, tape_stack_call(CALL_TAPE_POP, "pop", TAPE_PTR, void_ptr, tape_ref_of(redo), NULL));
      Expr *pointer = new_expr(EX_COMPOUND, void_ptr, loc);
      pointer->lhs = items;
      Expr *size = new_expr(EX_SIZEOF, type_int(), loc);
      size->text = "sizeof(void *)";
      store = expr_call("memcpy", type_void(), expr_var(at, loc), expr_addr_of(pointer));
      vec_push(&store->args, size);
    } else { /* *(T *)at = (T)value */
      Type *t = redo_type(k);
      Expr *target = expr_unary(EX_DEREF, expr_cast(type_pointer_to(t), expr_var(at, loc)), t);
      store = expr_assign(OP_NONE, target, k ? expr_cast(t, expr_var(value, loc)) : expr_var(value, loc));
    }
    Expr *test = expr_binary(OP_EQ, expr_var(kind, loc), expr_num(format("%d", k), type_int()), type_int());
    stores = stmt_if(test, stmt_expr(store), stores);
    stores->unbraced = true;
  }
  if (stores)
    vec_push(&body->body, stores);
  Expr *left = expr_binary(OP_GT, tape_call(CALL_TAPE_OTHER, "count_ptr", type_long(), tape_ref_of(redo), NULL),
                           expr_num("0", type_int()), type_int());
  Stmt *loop = stmt_block(loc);
  vec_push(&loop->body, stmt_expr(tape_call(CALL_TAPE_OTHER, "turn_to_pop", type_void(), tape_ref_of(redo), NULL)));
  vec_push(&loop->body, stmt_while(left, body));
  vec_push(&loop->body, stmt_expr(tape_call(CALL_TAPE_OTHER, "free", type_void(), tape_ref_of(redo), NULL)));
  return loop;
}

/* A write into arrays that a pointer may point into together (SharedBase)
 * where the array is, or may be, a parameter's: the caller's memory. */
static bool caller_memory(Reverse *rv, Expr *lhs) {
  Var *v = ad_pointer_root(lhs);
  if (!v || !rv->ad->shared_bases.len)
    return false;
  if (v->param_index >= 0)
    return true;
  if (v->into_param && v->into_heap) {
    error_at(lhs->loc, "'%s' writes through pointer '%s', which may point into the caller's memory or into a "
             "block this function allocates; vgradcc puts the caller's memory back after the reverse sweep, when "
             "the block is freed: write through a pointer of each", expr_to_user_c(lhs), var_spelling(v));
    rv->ad->failed = true;
    return false;
  }
  return v->into_param;
}

bool restores_caller_memory(Reverse *rv, Expr *lhs) {
  Var *root = lvalue_root(lhs);
  return lvalue_is_memory(lhs) && root && (root->param_index >= 0 || caller_memory(rv, lhs));
}

/* The vg_extent of the pointer parameter into whose memory lhs writes,
 * when its restored memory is kept whole; else NULL (the redo tape then
 * takes lhs element by element).  Not where notes could come after the
 * forward sweep ends (a checkpointed loop replays its saves in the reverse
 * sweep) or from several threads, nor through a pointer that may point
 * into other memory too (the bytes between two objects are no one's). */
static Var *extent_of(Reverse *rv, Expr *lhs) {
  Var *p = ad_object_pointer(lhs);
  Var *root = !p ? NULL : p->param_index >= 0 ? p : p->into_one;
  if (!rv->extents_ok || !root || root->param_index < 0 || root->type->kind != TY_PTR)
    return NULL;
  for (int i = 0; i < rv->extent_roots.len; i++)
    if (rv->extent_roots.items[i] == root)
      return rv->extents.items[i];
  Var *e = ad_new_local(rv->ad, format("%s_written", root->name), type_named("vg_extent"), true);
  vec_push(&rv->extent_roots, root);
  vec_push(&rv->extents, e);
  return e;
}

/* For each extent a save still notes into (pruning dropped the others):
 * its keep, after the forward sweep, and its put-back, after the reverse
 * sweep. */
void keep_extents(Reverse *rv, Stmt *fwd, Vec *keeps, Vec *put_backs) {
  for (int i = 0; i < rv->extents.len; i++) {
    Var *e = rv->extents.items[i];
    if (!stmt_uses(fwd, e)) {
      drop_decl_of(rv->ad, e);
      continue;
    }
    vec_push(keeps, stmt_expr(expr_runtime_call(CALL_RUNTIME, "vg_extent_keep", type_void(), expr_addr_of_var(e), NULL)));
    vec_push(put_backs,
             stmt_expr(expr_runtime_call(CALL_RUNTIME, "vg_extent_put_back", type_void(), expr_addr_of_var(e), NULL)));
  }
}

Slot *new_slot(Reverse *rv, Expr *lhs) {
  Slot *slot = xcalloc(1, sizeof(Slot));
  slot->var = lvalue_root(lhs);
  slot->memory = lvalue_is_memory(lhs);
  Stmt *save, *restore, *save2 = NULL, *restore2 = NULL;
  if (!save_restore(rv, lhs, slot->var->name, &save, &restore, &slot->save_var))
    slot->unsaveable = lhs;
  bool callers = lvalue_is_memory(lhs) && (slot->var->param_index >= 0 || caller_memory(rv, lhs));
  Var *extent = callers ? extent_of(rv, lhs) : NULL;
  if (lhs->kind == EX_VAR && lhs->type->kind == TY_PTR && lhs->var->active && !type_is_array_value(lhs->type)) {
    /* A pointer and its adjoint move together. */
    Expr *adj = expr_var(lhs->var->adj, lhs->loc);
    save_restore(rv, adj, lhs->var->adj->name, &save2, &restore2, &slot->save_var2);
    slot->var2 = lhs->var->adj;
    save = block_of(save, save2);
    restore = block_of(restore2, restore);
  } else if (extent) {
    /* Restoring the memory of a pointer parameter: its address noted where
     * it is saved; the bytes between the lowest and highest noted are kept
     * after the forward sweep and put back after the reverse one. */
    Expr *whole = lhs; /* a bit-field has no address: its struct's */
    if (expr_is_bit_field(lhs))
      whole = lhs->arrow ? expr_unary(EX_DEREF, expr_copy(lhs->lhs), lhs->lhs->type->base) : lhs->lhs;
    Expr *at = expr_unary(EX_ADDR, expr_copy(whole), type_pointer_to(whole->type));
    Expr *end = expr_binary(OP_ADD, expr_copy(at), expr_num("1", type_int()), at->type);
    Expr *note = expr_runtime_call(CALL_RUNTIME, "vg_extent_note", type_void(), expr_addr_of_var(extent), at);
    vec_push(&note->args, end);
    save = block_of(save, stmt_expr(note));
  } else if (callers) {
    /* Restoring the caller's memory: remember its final value to put back
     * after the reverse sweep, so outputs are as after a plain call (a
     * struct: each of its parts). */
    Vec parts = {0};
    if (lhs->type->kind == TY_STRUCT)
      scalar_parts(lhs, &parts);
    else
      vec_push(&parts, lhs);
    Stmt *r = stmt_block(lhs->loc);
    for (int i = 0; i < parts.len; i++)
      redo_part(rv, parts.items[i], r);
    free(parts.items);
    if (r->body.len) {
      vec_push(&r->body, restore);
      restore = r;
    }
  }
  slot->save = save;
  slot->restore = restore;
  assert(slot->var && save && restore); /* every slot saves and restores */
  mark_slot(save, slot);
  mark_slot(restore, slot);
  vec_push(&rv->slots, slot);
  return slot;
}
