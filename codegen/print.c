/* Prints IR statements as C with stable formatting; declarations and
 * expressions come from ir/print.c. */
#include "vgradcc.h"

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
  if (s->pragma) { /* ad/omp.c: `#pragma omp ...` for the statement that follows */
    indent(b, depth);
    buf_printf(b, "%s\n", s->pragma);
  }
  switch (s->kind) {
  case ST_BLOCK:
    if (s->pragma) { /* the structured block of `#pragma omp parallel` */
      indent(b, depth);
      print_braced(b, s, depth);
      buf_printf(b, "\n");
      return;
    }
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
    if (s->for_init && s->for_init->kind == ST_EXPR)
      print_expr(b, s->for_init->expr, 0);
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
