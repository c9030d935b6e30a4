# long_function.awk: writes a loss of n statements (awk -v n=5000): n/4
# rounds of four updates of three scalars, with sin, cos and an if, each
# update contracting so values stay near 1.  tests/run.sh (cli/long-function)
# generates it, differentiates it and checks the gradient by finite
# differences, with REAL double and float.
BEGIN {
  print "#include <math.h>"
  print "#ifndef REAL"
  print "#define REAL double"
  print "#endif"
  print "REAL longf(const REAL *p, REAL x)"
  print "{"
  print "    REAL a = p[0], b = p[1], c = x;"
  for (i = 0; i < n / 4; i++) {
    k = 1 + (i % 7) / 7.0
    printf "    a = a * 0.999 + %.6f * sin(b);\n", 0.001 * k
    printf "    b = b + %.6f * c * a;\n", 0.0005 * k
    printf "    c = c * 0.9995 + 0.0005 * cos(a + %d.0 / 4096);\n", i % 13
    print  "    if (a > b) c += 0.0001 * a; else c -= 0.0001 * b;"
  }
  print "    return a * b + c;"
  print "}"
  print "#pragma vgrad value_and_grad(longf) argnums(0, 1)"
  print ""
  print "#ifdef VG_DRIVER"
  print "#include \"long_function.vg.h\""
  print "#include \"fdcheck.h\""
  print "static REAL in_p[2] = {0.3, -0.2}, in_x = 0.5;"
  print "static REAL loss(void) { return longf(in_p, in_x); }"
  print "int main(void)"
  print "{"
  print "    REAL g_p[2] = {0, 0}, g_x = 0;"
  print "    REAL v = longf_value_and_grad(in_p, in_x, g_p, &g_x);"
  print "    fd_value(\"value\", v, loss());"
  print "    fd_check(\"d_p\", 0, &in_p[0], g_p[0], loss);"
  print "    fd_check(\"d_p\", 1, &in_p[1], g_p[1], loss);"
  print "    fd_check(\"d_x\", -1, &in_x, g_x, loss);"
  print "    return fd_report(\"long_function\");"
  print "}"
  print "#endif"
}
