#include "snow/testbed/process.h"

#include "libsnowpvm/util/error.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace snow::testbed {
namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> v;
  v.reserve(argv.size() + 1);
  for (const auto& a : argv) v.push_back(const_cast<char*>(a.c_str()));
  v.push_back(nullptr);
  return v;
}

int decode_status(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return 255;
}

// RAII pipe pair.
struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (pipe2(fd, O_CLOEXEC) != 0) throw SysError("pipe2");
  }
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) close(f);
  }
  void close_write() {
    close(fd[1]);
    fd[1] = -1;
  }
};

}  // namespace

std::string join(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    s += a;
  }
  return s;
}

RunResult run(const std::vector<std::string>& argv) {
  Pipe out;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&fa, out.fd[1], 2);
  pid_t pid = 0;
  auto av = c_argv(argv);
  int rc = posix_spawnp(&pid, av[0], &fa, nullptr, av.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw SysError("cannot start " + argv[0], rc);
  out.close_write();
  RunResult r;
  char buf[4096];
  for (;;) {
    ssize_t n = read(out.fd[0], buf, sizeof buf);
    if (n > 0) {
      r.output.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = decode_status(st);
  return r;
}

std::string run_checked(const std::vector<std::string>& argv) {
  auto r = run(argv);
  if (r.status != 0) {
    std::string out = r.output;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    throw Error("`" + join(argv) + "` failed (status " + std::to_string(r.status) +
                (out.empty() ? ")" : "): " + out));
  }
  return r.output;
}

int spawn_detached(const std::vector<std::string>& argv,
                   const std::map<std::string, std::string>& env, const std::string& logfile) {
  pid_t pid = fork();
  if (pid < 0) throw SysError("fork");
  if (pid == 0) {
    setsid();
    int in = open("/dev/null", O_RDONLY);
    int log = open(logfile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in >= 0) dup2(in, 0);
    if (log >= 0) {
      dup2(log, 1);
      dup2(log, 2);
    }
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    auto av = c_argv(argv);
    execvp(av[0], av.data());
    dprintf(2, "snow: cannot exec %s: %s\n", av[0], std::strerror(errno));
    _exit(127);
  }
  return pid;
}

void exec_replace(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env) {
  for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
  auto av = c_argv(argv);
  execvp(av[0], av.data());
  throw SysError("exec " + argv[0]);
}

bool process_alive(int pid) { return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM); }

}  // namespace snow::testbed
