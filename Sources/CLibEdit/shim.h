#ifndef EVENTLAB_CLIBEDIT_SHIM_H
#define EVENTLAB_CLIBEDIT_SHIM_H

#include <histedit.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Swift cannot call C variadic functions (el_set, el_get, history), so each use gets a
// fixed-argument wrapper here.

/// Sets the function that returns the prompt.
static inline int eventlab_el_set_prompt(EditLine *e, char *(*prompt)(EditLine *)) { return el_set(e, EL_PROMPT, prompt); }
/// Chooses emacs or vi key bindings.
static inline int eventlab_el_set_editor(EditLine *e, const char *mode) { return el_set(e, EL_EDITOR, mode); }
/// Lets libedit restore the terminal when a signal arrives during editing.
static inline int eventlab_el_set_signal(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }
/// Connects a history list (EL_HIST takes the variadic `history` function itself).
static inline int eventlab_el_set_history(EditLine *e, History *h) { return el_set(e, EL_HIST, history, h); }
/// Adds a named editing function.
static inline int eventlab_el_add_function(EditLine *e, const char *name, const char *help, unsigned char (*f)(EditLine *, int)) {
    return el_set(e, EL_ADDFN, name, help, f);
}
/// Binds a key to a named function.
static inline int eventlab_el_bind(EditLine *e, const char *key, const char *function) { return el_set(e, EL_BIND, key, function, NULL); }
/// Stores a pointer the callbacks can find the Swift object with.
static inline int eventlab_el_set_clientdata(EditLine *e, void *data) { return el_set(e, EL_CLIENTDATA, data); }
/// Reads it back.
static inline void *eventlab_el_get_clientdata(EditLine *e) {
    void *data = NULL;
    el_get(e, EL_CLIENTDATA, &data);
    return data;
}
/// Keeps Ctrl-C a key while editing (no SIGINT), so it can be bound to "cancel the line"
/// without racing libedit's reads (libedit-notes §6.7).
static inline int eventlab_el_keep_ctrl_c_as_key(EditLine *e) { return el_set(e, EL_SETTY, "-d", "-isig", NULL); }
/// Reads keys with `read` instead of libedit's own function; NULL gives libedit's back.
static inline int eventlab_el_set_getcfn(EditLine *e, el_rfunc_t read) { return el_set(e, EL_GETCFN, read); }
/// Draws the prompt and the line again from where the cursor is, as if nothing were drawn yet.
static inline int eventlab_el_refresh(EditLine *e) { return el_set(e, EL_REFRESH); }
/// Sets the history size and drops consecutive duplicates.
static inline void eventlab_history_setup(History *h, int size) {
    HistEvent event;
    history(h, &event, H_SETSIZE, size);
    history(h, &event, H_SETUNIQUE, 1);
}
/// Adds a line to the history.
static inline int eventlab_history_enter(History *h, const char *line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line);
}
/// Loads a history file.
static inline int eventlab_history_load(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_LOAD, path);
}
/// Saves the history to a file.
static inline int eventlab_history_save(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_SAVE, path);
}
/// Installs `handler` for SIGINT without SA_RESTART, so a blocked read returns EINTR.
static inline int eventlab_install_interrupt_handler(void (*handler)(int)) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    return sigaction(SIGINT, &action, NULL);
}

#endif
