// Processes: fork(2), _exit(2), waitpid(2), orphans and init.
// Linux: kernel/fork.c, kernel/exit.c (do_exit, forget_original_parent, do_wait, kernel_wait4),
// kernel/pid.c; docs/linux-semantics.md sections 1.9 (wait, zombies) and 2.3 (pids).

import { BLOCKED, Case, EOF, err, exited, ok, reaped, wake } from "./lib.mjs";

export const cases = [];
const add = (f) => cases.push(f);

add(() => {
  const c = new Case("proc-fork-pids",
    "fork gives each child the next unused pid in the fresh PID namespace (3, 4, ...), whoever " +
    "forks, and a pid freed by reaping is not reused (kernel/pid.c alloc_pid: idr_alloc_cyclic; " +
    "linux-semantics.md 2.3 [C]).");
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(3, "fork", {}, ok(5));
  c.exit(5, 0);
  c.step(3, "waitpid", { target: -1 }, reaped(5, 0));
  c.note("5 is free again but the next pid is 6");
  c.step(2, "fork", {}, ok(6));
  c.step(4, "fork", {}, ok(7));
  c.step(7, "fork", {}, ok(8));
  return c;
});

add(() => {
  const c = new Case("proc-exit-zombie-reap",
    "An exited child stays a zombie until its parent waits for it: waitpid then returns its pid " +
    "and exit status (the low 8 bits of the exit argument: 259 gives 3) and reaps it, after " +
    "which waiting for it gives ECHILD (kernel/exit.c do_exit, wait_task_zombie, release_task; " +
    "_exit(2); waitpid(2); linux-semantics.md 1.9 [C]).");
  c.step(2, "fork", {}, ok(3));
  c.exit(3, 7);
  c.step(2, "waitpid", { target: 3 }, reaped(3, 7));
  c.step(2, "waitpid", { target: 3 }, err("ECHILD"));
  c.step(2, "waitpid", { target: -1 }, err("ECHILD"));
  c.step(2, "fork", {}, ok(4));
  c.step(4, "exit", { status: 259 }, undefined, [exited(4, 3)]);
  c.note("a zombie is reported even with WNOHANG");
  c.step(2, "waitpid", { target: -1, options: ["WNOHANG"] }, reaped(4, 3));
  c.step(2, "fork", {}, ok(5));
  c.exit(5, 255);
  c.step(2, "waitpid", { target: 5 }, reaped(5, 255));
  return c;
});

add(() => {
  const c = new Case("proc-waitpid-oldest-first",
    "waitpid(-1) with several zombie children reaps the oldest child first (fork order), not the " +
    "first to exit: do_wait_thread walks tsk->children, where copy_process adds each child at " +
    "the tail (kernel/exit.c do_wait_thread; kernel/fork.c copy_process; " +
    "linux-semantics.md 1.9 [C]).");
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(2, "fork", {}, ok(5));
  c.exit(5, 50);
  c.exit(4, 40);
  c.exit(3, 30);
  c.step(2, "waitpid", { target: -1 }, reaped(3, 30));
  c.step(2, "waitpid", { target: -1 }, reaped(4, 40));
  c.step(2, "waitpid", { target: -1 }, reaped(5, 50));
  c.step(2, "waitpid", { target: -1 }, err("ECHILD"));
  c.note("a live older child does not hide a younger zombie");
  c.step(2, "fork", {}, ok(6));
  c.step(2, "fork", {}, ok(7));
  c.exit(7, 7);
  c.step(2, "waitpid", { target: -1 }, reaped(7, 7));
  return c;
});

add(() => {
  const c = new Case("proc-waitpid-wnohang",
    "waitpid with WNOHANG returns 0 at once while the children it names are alive, the child's " +
    "pid once one is a zombie, and ECHILD when there are none (waitpid(2): 'WNOHANG return " +
    "immediately if no child has exited'; kernel/exit.c do_wait: WNOHANG -> retval 0; " +
    "linux-semantics.md 1.9 [C]).");
  c.step(2, "fork", {}, ok(3));
  c.step(2, "waitpid", { target: -1, options: ["WNOHANG"] }, ok(0));
  c.step(2, "waitpid", { target: 3, options: ["WNOHANG"] }, ok(0));
  c.exit(3, 1);
  c.step(2, "waitpid", { target: 3, options: ["WNOHANG"] }, reaped(3, 1));
  c.step(2, "waitpid", { target: -1, options: ["WNOHANG"] }, err("ECHILD"));
  return c;
});

add(() => {
  const c = new Case("proc-waitpid-echild",
    "waitpid gives ECHILD when the caller has no child that matches: no children at all, a pid " +
    "that is not a child (its parent, init, a grandchild, an unused pid), with or without " +
    "WNOHANG (waitpid(2) ERRORS: ECHILD; kernel/exit.c do_wait: no eligible child -> -ECHILD; " +
    "linux-semantics.md 1.9 [C]).");
  c.step(2, "waitpid", { target: -1 }, err("ECHILD"));
  c.step(2, "waitpid", { target: -1, options: ["WNOHANG"] }, err("ECHILD"));
  c.step(2, "waitpid", { target: 99 }, err("ECHILD"));
  c.step(2, "waitpid", { target: 1 }, err("ECHILD"));
  c.step(2, "waitpid", { target: 2 }, err("ECHILD"));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "fork", {}, ok(4));
  c.step(2, "waitpid", { target: 4 }, err("ECHILD"));
  c.step(3, "waitpid", { target: 2 }, err("ECHILD"));
  c.step(4, "waitpid", { target: -1 }, err("ECHILD"));
  c.note("with a child, only a non-matching pid gives ECHILD");
  c.step(2, "waitpid", { target: 3, options: ["WNOHANG"] }, ok(0));
  return c;
});

add(() => {
  const c = new Case("proc-waitpid-einval",
    "waitpid with an option bit outside WNOHANG|WUNTRACED|WCONTINUED|__WNOTHREAD|__WCLONE|__WALL " +
    "gives EINVAL, checked before the children (so even with none): WEXITED (4) and WNOWAIT " +
    "(0x01000000) are waitid-only (waitpid(2) ERRORS: EINVAL; kernel/exit.c kernel_wait4).");
  c.step(2, "waitpid", { target: -1, options: 4 }, err("EINVAL"));
  c.step(2, "waitpid", { target: -1, options: 16777216 }, err("EINVAL"));
  c.step(2, "waitpid", { target: -1, options: 16 }, err("EINVAL"));
  c.step(2, "fork", {}, ok(3));
  c.exit(3, 0);
  c.step(2, "waitpid", { target: 3, options: 5 }, err("EINVAL"));
  c.note("the zombie was not reaped by the failed calls");
  c.step(2, "waitpid", { target: 3 }, reaped(3, 0));
  return c;
});

add(() => {
  const c = new Case("proc-waitpid-blocks",
    "waitpid without WNOHANG sleeps while the children it names are alive and returns when one " +
    "exits; the exit of a child it does not name leaves it asleep (kernel/exit.c do_wait: " +
    "add_wait_queue(&current->signal->wait_chldexit), woken by __wake_up_parent from " +
    "do_notify_parent; waitpid(2)).");
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const a = c.step(2, "waitpid", { target: -1 }, BLOCKED);
  c.exit(4, 4, [wake(2, a, reaped(4, 4))]);
  c.step(2, "waitpid", { target: 5 }, err("ECHILD"));
  c.step(2, "fork", {}, ok(5));
  const d = c.step(2, "waitpid", { target: 5 }, BLOCKED);
  c.note("pid 3 is a zombie now, but the parent waits for 5 only");
  c.exit(3, 3);
  c.exit(5, 5, [wake(2, d, reaped(5, 5))]);
  c.step(2, "waitpid", { target: -1 }, reaped(3, 3));
  return c;
});

add(() => {
  const c = new Case("proc-orphans-to-init",
    "When a process exits its children are re-parented to the namespace's init (pid 1), which " +
    "reaps them: its former parent, and their grandparent, can no longer wait for them (ECHILD); " +
    "a zombie orphan is reaped at once (kernel/exit.c forget_original_parent, find_child_reaper; " +
    "linux-semantics.md 1.9 [C]: getppid becomes 1).");
  c.step(2, "fork", {}, ok(3));
  c.step(3, "fork", {}, ok(4));
  c.exit(3, 0);
  c.step(2, "waitpid", { target: -1 }, reaped(3, 0));
  c.note("pid 4 lives on as init's child");
  c.step(2, "waitpid", { target: -1, options: ["WNOHANG"] }, err("ECHILD"));
  c.step(2, "waitpid", { target: 4 }, err("ECHILD"));
  c.step(4, "fork", {}, ok(5));
  c.exit(4, 0);
  c.exit(5, 0);
  c.note("a zombie grandchild whose parent exits is reaped by init");
  c.step(2, "fork", {}, ok(6));
  c.step(6, "fork", {}, ok(7));
  c.exit(7, 2);
  c.exit(6, 0);
  c.step(2, "waitpid", { target: -1 }, reaped(6, 0));
  c.step(2, "waitpid", { target: -1 }, err("ECHILD"));
  return c;
});

add(() => {
  const c = new Case("proc-orphan-keeps-pipe-open",
    "An orphan keeps the descriptors it inherited: a pipe's write end held by a re-parented " +
    "grandchild keeps a reader from seeing EOF until the grandchild exits (kernel/exit.c: " +
    "exit_files runs in the exiting process only; fs/pipe.c pipe_release).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "fork", {}, ok(4));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.exit(3, 0);
  c.step(2, "waitpid", { target: 3 }, reaped(3, 0));
  const r = c.step(2, "read", { fd: 3, count: 10 }, BLOCKED);
  c.step(4, "write", { fd: 4, data: "orphan" }, ok(6), [wake(2, r, { ret: 6, data: "orphan" })]);
  const r2 = c.step(2, "read", { fd: 3, count: 10 }, BLOCKED);
  c.exit(4, 0, [wake(2, r2, EOF)]);
  return c;
});
