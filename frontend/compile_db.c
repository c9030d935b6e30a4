/* vgradcc -p BUILD_DIR: the input's flags from the build's
 * compile_commands.json, through libclang's compilation database.
 * libclang types stay in this file. */
#include "vgradcc.h"

#include <clang-c/CXCompilationDatabase.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *take_string(CXString s) {
  const char *c = clang_getCString(s);
  char *r = xstrdup(c ? c : "");
  clang_disposeString(s);
  return r;
}

/* `path` as seen from the command's directory `dir`. */
static char *resolve(const char *dir, const char *path) {
  return path[0] == '/' || !*dir ? xstrdup(path) : format("%s/%s", dir, path);
}

static bool same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Options whose argument is a path, given apart (`-I dir`) or joined
 * (`-Idir`): relative paths are relative to the command's directory. */
static const char *const path_options[] = {"-I", "-isystem", "-iquote", "-idirafter", "-include",
                                           "-imacros", "-isysroot", "--sysroot=", "-F", NULL};

/* Options left out, with their argument when `takes_arg`: the output, the
 * dependency file (vgradcc writes its own with -MD), compiling only, the
 * language (the input is C: an inferred entry for a header says
 * c-header), the end of options (the input followed it). */
static const struct {
  const char *name;
  bool takes_arg;
} dropped_options[] = {{"-o", true},   {"-MF", true}, {"-MT", true}, {"-MQ", true}, {"-MD", false},
                       {"-MMD", false}, {"-MP", false}, {"-M", false}, {"-MM", false}, {"-MG", false},
                       {"-c", false},  {"-S", false}, {"-x", true},   {"--", false}, {NULL, false}};

/* libclang prints why it could not load a database on stderr, as
 * "LIBCLANG TOOLING ERROR: ...": the reason for the JSON file, taken from
 * what it printed to `log`, for our own message. */
static char *json_error(FILE *log) {
  static const char key[] = "json-compilation-database: ";
  char line[1024];
  rewind(log);
  while (fgets(line, sizeof line, log)) {
    char *at = strstr(line, key);
    if (at) {
      at += sizeof key - 1;
      at[strcspn(at, "\n")] = '\0';
      return xstrdup(at);
    }
  }
  return xstrdup("no database found");
}

static CXCompilationDatabase load_database(const char *build_dir) {
  /* its messages go to a temporary file for the duration of the call */
  fflush(stderr);
  FILE *log = tmpfile();
  int saved = log ? dup(2) : -1;
  if (saved >= 0)
    dup2(fileno(log), 2);
  CXCompilationDatabase_Error err;
  CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(build_dir, &err);
  if (saved >= 0) {
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
  }
  if (err != CXCompilationDatabase_NoError || !db) {
    if (db)
      clang_CompilationDatabase_dispose(db);
    error_at((Loc){0}, "cannot read '%s/compile_commands.json' (-p %s): %s", build_dir, build_dir,
             log ? json_error(log) : "no database found");
    db = NULL;
  }
  if (log)
    fclose(log);
  return db;
}

const char **compile_db_flags(const char *build_dir, const char *input, int *nflags) {
  CXCompilationDatabase db = load_database(build_dir);
  if (!db)
    return NULL;
  char abs_input[PATH_MAX];
  if (!realpath(input, abs_input)) {
    clang_CompilationDatabase_dispose(db);
    error_at((Loc){0}, "cannot open '%s'", input);
    return NULL;
  }
  CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(db, abs_input);
  if (!cmds || clang_CompileCommands_getSize(cmds) == 0) {
    if (cmds)
      clang_CompileCommands_dispose(cmds);
    clang_CompilationDatabase_dispose(db);
    error_at((Loc){0}, "'%s' has no entry in '%s/compile_commands.json' (-p %s)", input, build_dir, build_dir);
    return NULL;
  }
  /* A file built by several targets has several entries: the first one.
   * One with none gets the flags of the entry most like it (libclang
   * infers them, as for clangd and clang-tidy). */
  CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
  char *dir = take_string(clang_CompileCommand_getDirectory(cmd));
  unsigned nargs = clang_CompileCommand_getNumArgs(cmd);
  const char **flags = xcalloc((size_t)nargs + 1, sizeof(char *));
  int n = 0;
  /* argument 0 is the compiler */
  for (unsigned i = 1; i < nargs; i++) {
    char *a = take_string(clang_CompileCommand_getArg(cmd, i));
    bool drop = false;
    for (int k = 0; dropped_options[k].name && !drop; k++) {
      size_t len = strlen(dropped_options[k].name);
      if (!strcmp(a, dropped_options[k].name)) {
        drop = true;
        if (dropped_options[k].takes_arg)
          i++;
      } else if (dropped_options[k].takes_arg && !strncmp(a, dropped_options[k].name, len)) {
        drop = true; /* joined: -ofile, -MFfile */
      }
    }
    /* Warnings are no business of the parser, and -Werror would make one
     * of them (the unknown `#pragma vgrad` under -Wall) an error. */
    if (a[0] == '-' && a[1] == 'W' && strncmp(a, "-Wp,", 4) != 0)
      drop = true;
    if (!drop && a[0] != '-') {
      char *file = resolve(dir, a);
      drop = same_file(file, abs_input); /* the input itself */
      free(file);
    }
    if (drop) {
      free(a);
      continue;
    }
    bool made_absolute = false;
    for (int k = 0; path_options[k] && !made_absolute; k++) {
      const char *opt = path_options[k];
      size_t len = strlen(opt);
      if (!strcmp(a, opt) && opt[len - 1] != '=' && i + 1 < nargs) {
        flags[n++] = a;
        char *arg = take_string(clang_CompileCommand_getArg(cmd, ++i));
        flags[n++] = resolve(dir, arg);
        free(arg);
        made_absolute = true;
      } else if (!strncmp(a, opt, len) && a[len] && a[len] != '/') {
        flags[n++] = format("%s%s", opt, resolve(dir, a + len));
        free(a);
        made_absolute = true;
      }
    }
    if (!made_absolute)
      flags[n++] = a;
  }
  free(dir);
  clang_CompileCommands_dispose(cmds);
  clang_CompilationDatabase_dispose(db);
  *nflags = n;
  return flags;
}
