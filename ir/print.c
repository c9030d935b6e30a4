/* Prints IR as C for every stage: declarations ("const double *x"), and
 * expressions with the fewest parentheses C's precedence allows.  ad/ uses
 * it for messages and comments, codegen/print.c for the generated code. */
#include "vgradcc.h"

/* Set while printing for a message: variables by the user's spelling. */
static bool user_spelling;

#include <string.h>

/* ---- types and declarators ---- */

static const char *base_name(Type *t) {
  if (t->kind == TY_STRUCT)
    return t->name ? t->name : "struct <anonymous>";
  return t->name ? t->name : "int";
}

/* Builds "const double *x" style declarations, inside out. */
char *declare(Type *t, const char *name) {
  char *decl = xstrdup(name);
  for (;;) {
    if (t->kind == TY_PTR) {
      decl = format("*%s%s", t->is_const ? "const " : "", decl);
      t = t->base;
      if (t->kind == TY_ARRAY || t->kind == TY_FUNC)
        decl = format("(%s)", decl);
    } else if (t->kind == TY_ARRAY) {
      decl = t->array_len >= 0 ? format("%s[%ld]", decl, t->array_len) : format("%s[]", decl);
      t = t->base;
    } else if (t->kind == TY_FUNC && t->base) { /* name: the parameter list */
      decl = format("%s%s", decl, t->name);
      t = t->base;
    } else {
      break;
    }
  }
  char *r = format("%s%s%s%s", t->is_const ? "const " : "", base_name(t), *decl && decl[0] != '[' ? " " : "", decl);
  size_t n = strlen(r);
  while (n > 0 && r[n - 1] == ' ')
    r[--n] = '\0';
  return r;
}

/* ---- expressions ---- */

/* An implicit conversion prints as nothing, but for complex to real: C
 * takes the real part, and the copies ad/ makes of the operand (fabs(z)'s
 * test z < 0) would not compile without it. */
static bool cast_hidden(const Expr *e) {
  return e->kind == EX_CAST && e->implicit && !(type_is_complex(e->lhs->type) && !type_is_complex(e->type));
}

/* Higher binds tighter. */
static int prec(Expr *e) {
  switch (e->kind) {
  case EX_NUM:
  case EX_STRING:
  case EX_VAR:
  case EX_FUNCREF:
  case EX_CALL:
  case EX_INDEX:
  case EX_MEMBER:
  case EX_SIZEOF:
  case EX_INIT:
    return 16;
  case EX_COMPOUND:
  case EX_UNSUPPORTED:
  case EX_STMT_EXPR:
    return 16;
  case EX_INCDEC:
    return e->prefix ? 15 : 16;
  case EX_DEREF:
  case EX_ADDR:
  case EX_NEG:
  case EX_PLUS:
  case EX_NOT:
  case EX_BITNOT:
    return 15;
  case EX_CAST:
    return cast_hidden(e) ? prec(e->lhs) : 14;
  case EX_BINARY:
    switch (e->op) {
    case OP_MUL: case OP_DIV: case OP_MOD: return 13;
    case OP_ADD: case OP_SUB: return 12;
    case OP_SHL: case OP_SHR: return 11;
    case OP_LT: case OP_GT: case OP_LE: case OP_GE: return 10;
    case OP_EQ: case OP_NE: return 9;
    case OP_BITAND: return 8;
    case OP_BITXOR: return 7;
    case OP_BITOR: return 6;
    case OP_LAND: return 5;
    case OP_LOR: return 4;
    case OP_COMMA: return 1;
    default: return 0;
    }
  case EX_COND:
    return 3;
  case EX_ASSIGN:
    return 2;
  }
  return 0;
}

static const char *op_text(BinOp op) {
  static const char *t[] = {
      [OP_NONE] = "", [OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/", [OP_MOD] = "%",
      [OP_SHL] = "<<", [OP_SHR] = ">>", [OP_BITAND] = "&", [OP_BITOR] = "|", [OP_BITXOR] = "^",
      [OP_LT] = "<", [OP_GT] = ">", [OP_LE] = "<=", [OP_GE] = ">=", [OP_EQ] = "==", [OP_NE] = "!=",
      [OP_LAND] = "&&", [OP_LOR] = "||", [OP_COMMA] = ",",
  };
  return t[op];
}


static void print_sub(Buf *b, Expr *e, int min_prec) {
  if (prec(e) < min_prec) {
    buf_printf(b, "(");
    print_expr(b, e, 0);
    buf_printf(b, ")");
  } else {
    print_expr(b, e, min_prec);
  }
}

static bool is_bitwise(BinOp op) {
  return op == OP_BITAND || op == OP_BITOR || op == OP_BITXOR || op == OP_SHL || op == OP_SHR;
}

/* Parentheses gcc's -Wparentheses asks for, though precedence does not. */
static void print_operand(Buf *b, Expr *parent, Expr *child, int min_prec) {
  Expr *c = child;
  while (cast_hidden(c))
    c = c->lhs;
  bool wants = c->kind == EX_BINARY && c->op != parent->op &&
               ((parent->op == OP_LOR && c->op == OP_LAND) || (is_bitwise(parent->op) && c->op != OP_COMMA) ||
                (is_bitwise(c->op) && parent->op != OP_COMMA));
  if (wants) {
    buf_printf(b, "(");
    print_expr(b, child, 0);
    buf_printf(b, ")");
  } else {
    print_sub(b, child, min_prec);
  }
}

static void print_args(Buf *b, Vec *args) {
  for (int i = 0; i < args->len; i++) {
    if (i)
      buf_printf(b, ", ");
    print_sub(b, args->items[i], 2);
  }
}

void print_expr(Buf *b, Expr *e, int min_prec) {
  (void)min_prec;
  if (e->fwd_value) { /* computed just before, and taped */
    buf_printf(b, "%s", e->fwd_value->name);
    return;
  }
  switch (e->kind) {
  case EX_NUM:
  case EX_STRING:
  case EX_FUNCREF:
  case EX_SIZEOF:
    buf_printf(b, "%s", e->text);
    return;
  case EX_VAR:
    buf_printf(b, "%s", user_spelling ? var_spelling(e->var) : e->var->name);
    return;
  case EX_INDEX:
    print_sub(b, e->lhs, 16);
    buf_printf(b, "[");
    print_expr(b, e->rhs, 0);
    buf_printf(b, "]");
    return;
  case EX_MEMBER:
    if (!e->arrow && e->lhs->kind == EX_DEREF) { /* (*p).m is p->m */
      print_sub(b, e->lhs->lhs, 16);
      buf_printf(b, "->%s", e->text);
      return;
    }
    print_sub(b, e->lhs, 16);
    buf_printf(b, "%s%s", e->arrow ? "->" : ".", e->text);
    return;
  case EX_DEREF:
  case EX_ADDR:
  case EX_NEG:
  case EX_PLUS:
  case EX_NOT:
  case EX_BITNOT: {
    const char *op = e->kind == EX_DEREF ? "*" : e->kind == EX_ADDR ? "&" : e->kind == EX_NEG ? "-"
                   : e->kind == EX_PLUS ? "+" : e->kind == EX_NOT ? "!" : "~";
    buf_printf(b, "%s", op);
    /* Avoid "- -x" turning into "--x". */
    if ((e->kind == EX_NEG && (e->lhs->kind == EX_NEG || (e->lhs->kind == EX_NUM && e->lhs->text[0] == '-'))) ||
        (e->kind == EX_PLUS && e->lhs->kind == EX_PLUS))
      buf_printf(b, " ");
    /* C takes a cast as a unary operator's operand: *(double *)at; only * is
     * printed so, the others keep their parentheses as they always had */
    print_sub(b, e->lhs, e->kind == EX_DEREF ? 14 : 15);
    return;
  }
  case EX_INCDEC:
    if (e->prefix)
      buf_printf(b, "%s", e->increment ? "++" : "--");
    print_sub(b, e->lhs, 16);
    if (!e->prefix)
      buf_printf(b, "%s", e->increment ? "++" : "--");
    return;
  case EX_CAST:
    if (cast_hidden(e)) {
      print_expr(b, e->lhs, min_prec);
      return;
    }
    buf_printf(b, "(%s)", declare(e->type, ""));
    print_sub(b, e->lhs, 14);
    return;
  case EX_BINARY: {
    int p = prec(e);
    print_operand(b, e, e->lhs, p);
    buf_printf(b, e->op == OP_COMMA ? "%s " : " %s ", op_text(e->op));
    print_operand(b, e, e->rhs, p + 1);
    return;
  }
  case EX_ASSIGN:
    print_sub(b, e->lhs, 15);
    buf_printf(b, " %s= ", op_text(e->op));
    print_sub(b, e->rhs, 2);
    return;
  case EX_COND:
    print_sub(b, e->cond, 4);
    buf_printf(b, " ? ");
    print_sub(b, e->lhs, 0);
    buf_printf(b, " : ");
    print_sub(b, e->rhs, 3);
    return;
  case EX_STMT_EXPR: /* in messages only: ad/sequence.c unpacks or refuses it */
    buf_printf(b, "({ ... })");
    return;
  case EX_UNSUPPORTED: /* in messages only: normalize refuses it; shown as it always was */
  case EX_CALL:
    if (e->kind == EX_CALL && e->lhs) /* through a pointer: in messages only, ad/ resolves it */
      print_sub(b, e->lhs, 16);
    buf_printf(b, "%s(", e->text);
    print_args(b, &e->args);
    buf_printf(b, ")");
    return;
  case EX_INIT:
    if (!e->args.len) {
      buf_printf(b, "{0}");
      return;
    }
    buf_printf(b, "{");
    print_args(b, &e->args);
    buf_printf(b, "}");
    return;
  case EX_COMPOUND:
    buf_printf(b, "(%s)", declare(e->type, ""));
    print_expr(b, e->lhs, 0);
    return;
  }
}

char *expr_to_c(Expr *e) {
  Buf b = {0};
  print_expr(&b, e, 0);
  return b.buf ? b.buf : xstrdup("");
}

const char *var_spelling(const Var *v) { return v->spelling ? v->spelling : v->name; }

char *expr_to_user_c(Expr *e) {
  user_spelling = true;
  char *text = expr_to_c(e);
  user_spelling = false;
  return text;
}
