/* Prints IR as C: declarations, expressions with the fewest parentheses
 * C's precedence allows, and statements with stable formatting. */
#include "vgradcc.h"

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
    return e->implicit ? prec(e->lhs) : 14;
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

static void print_expr(Buf *b, Expr *e, int min_prec);

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
  while (c->kind == EX_CAST && c->implicit)
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

static void print_expr(Buf *b, Expr *e, int min_prec) {
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
    buf_printf(b, "%s", e->var->name);
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
    if (e->implicit) {
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
  case EX_UNSUPPORTED: /* in messages only: normalize refuses it; shown as it always was */
  case EX_CALL:
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

/* ---- statements ---- */

/* Indentation stops growing past this depth: thousands of nested ifs
 * (an else-if chain of generated code) would otherwise make the output
 * quadratic in size. */
#define MAX_INDENT 32

static void indent(Buf *b, int depth) {
  static const char spaces[] = "                                                                "
                               "                                                                ";
  if (depth > MAX_INDENT)
    depth = MAX_INDENT;
  buf_printf(b, "%.*s", 4 * depth, spaces);
}

static bool printable(Stmt *s) {
  if (!s || s->kind == ST_EMPTY)
    return false;
  if (s->kind == ST_BLOCK) {
    for (int i = 0; i < s->body.len; i++)
      if (printable(s->body.items[i]))
        return true;
    return false;
  }
  return true;
}

/* A comment heads the statements after it: skip it when none follow. */
static bool comment_has_followers(Vec *body, int i) {
  for (int j = i + 1; j < body->len; j++) {
    Stmt *s = body->items[j];
    if (s->kind == ST_COMMENT)
      return false;
    if (printable(s))
      return true;
  }
  return false;
}

void print_stmt(Buf *b, Stmt *s, int depth);

static void print_body(Buf *b, Vec *body, int depth) {
  for (int i = 0; i < body->len; i++) {
    Stmt *s = body->items[i];
    if (s->kind == ST_COMMENT && !comment_has_followers(body, i))
      continue;
    print_stmt(b, s, depth);
  }
}

static void print_braced(Buf *b, Stmt *s, int depth) {
  buf_printf(b, "{\n");
  if (s->kind == ST_BLOCK)
    print_body(b, &s->body, depth + 1);
  else
    print_stmt(b, s, depth + 1);
  indent(b, depth);
  buf_printf(b, "}");
}

/* The body of an if or a while: " {...}", or its one statement on the next
 * line, one level in, when `unbraced` (ends with the newline). */
static void print_controlled(Buf *b, Stmt *s, Stmt *body, int depth) {
  if (s->unbraced) {
    buf_printf(b, "\n");
    print_stmt(b, body, depth + 1);
    return;
  }
  buf_printf(b, " ");
  print_braced(b, body, depth);
}

/* The only statement of an else block that is itself an if: "else if". */
static Stmt *sole_if(Stmt *s) {
  if (s->kind == ST_IF)
    return s;
  if (s->kind != ST_BLOCK)
    return NULL;
  Stmt *found = NULL;
  for (int i = 0; i < s->body.len; i++) {
    Stmt *c = s->body.items[i];
    if (!printable(c))
      continue;
    if (found || c->kind != ST_IF)
      return NULL;
    found = c;
  }
  return found;
}

void print_stmt(Buf *b, Stmt *s, int depth) {
  if (!printable(s))
    return;
  switch (s->kind) {
  case ST_BLOCK:
    print_body(b, &s->body, depth);
    return;
  case ST_COMMENT:
    indent(b, depth);
    buf_printf(b, "/* %s */\n", s->text);
    return;
  case ST_DECL:
    indent(b, depth);
    buf_printf(b, "%s", declare(s->var->type, s->var->name));
    if (s->init) {
      buf_printf(b, " = ");
      print_expr(b, s->init, 2);
    }
    buf_printf(b, ";\n");
    return;
  case ST_EXPR:
    indent(b, depth);
    print_expr(b, s->expr, 0);
    buf_printf(b, s->note ? "; /* %s */\n" : ";\n", s->note);
    return;
  case ST_RETURN:
    indent(b, depth);
    if (s->expr) {
      buf_printf(b, "return ");
      print_expr(b, s->expr, 0);
      buf_printf(b, ";\n");
    } else {
      buf_printf(b, "return;\n");
    }
    return;
  case ST_IF: {
    indent(b, depth);
    for (;;) {
      buf_printf(b, "if (");
      print_expr(b, s->expr, 0);
      buf_printf(b, ")");
      print_controlled(b, s, s->then ? s->then : stmt_block(s->loc), depth);
      if (!printable(s->els))
        break;
      if (s->unbraced)
        indent(b, depth);
      buf_printf(b, s->unbraced ? "else" : " else");
      Stmt *next = sole_if(s->els);
      if (!next) {
        print_controlled(b, s, s->els, depth);
        break;
      }
      buf_printf(b, " ");
      s = next;
    }
    if (!s->unbraced)
      buf_printf(b, "\n");
    return;
  }
  case ST_FOR:
    indent(b, depth);
    buf_printf(b, "for (");
    if (s->els && s->els->kind == ST_EXPR)
      print_expr(b, s->els->expr, 0);
    buf_printf(b, "; ");
    if (s->expr)
      print_expr(b, s->expr, 0);
    buf_printf(b, "; ");
    if (s->step)
      print_expr(b, s->step, 0);
    buf_printf(b, ") ");
    print_braced(b, s->then, depth);
    buf_printf(b, "\n");
    return;
  case ST_WHILE:
    indent(b, depth);
    buf_printf(b, "while (");
    print_expr(b, s->expr, 0);
    buf_printf(b, ")");
    print_controlled(b, s, s->then, depth);
    if (!s->unbraced)
      buf_printf(b, "\n");
    return;
  case ST_DO:
    indent(b, depth);
    buf_printf(b, "do ");
    print_braced(b, s->then, depth);
    buf_printf(b, " while (");
    print_expr(b, s->expr, 0);
    buf_printf(b, ");\n");
    return;
  case ST_BREAK:
    indent(b, depth);
    buf_printf(b, "break;\n");
    return;
  case ST_CONTINUE:
    indent(b, depth);
    buf_printf(b, "continue;\n");
    return;
  default:
    return;
  }
}
