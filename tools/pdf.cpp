#include "pdf.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "walkshed/core/temp.hpp"
#include "walkshed/core/written.hpp"

namespace cli {

namespace fs = std::filesystem;

namespace {

constexpr double kPrintSeconds = 120;  // the longest a print may take

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c < 0x20) {
      char u[8];
      std::snprintf(u, sizeof u, "\\u%04x", c);
      out += u;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

// The text of "key":"..." in a DevTools message (ids and base64 data hold no escapes).
std::string field(const std::string& message, const std::string& key) {
  const std::string k = "\"" + key + "\":\"";
  const auto at = message.find(k);
  if (at == std::string::npos) return "";
  const auto end = message.find('"', at + k.size());
  return end == std::string::npos ? "" : message.substr(at + k.size(), end - at - k.size());
}

bool base64_decode(const std::string& in, std::string& out) {
  static const std::string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  int table[256];
  for (int& v : table) v = -1;
  for (std::size_t i = 0; i < digits.size(); ++i) table[static_cast<unsigned char>(digits[i])] = static_cast<int>(i);
  out.clear();
  out.reserve(in.size() / 4 * 3);
  unsigned bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    if (c == '=') break;
    if (table[c] < 0) return false;
    bits = (bits << 6) | static_cast<unsigned>(table[c]);
    if ((count += 6) >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return true;
}

// Chromium's argument list, headless with `options`; made before fork(), so that the child, which
// may be forked from threads, allocates nothing.
std::vector<const char*> chromium_args(std::vector<const char*> options) {
  options.insert(options.begin(), {"chromium", "--headless", "--no-sandbox", "--disable-gpu"});
  options.push_back(nullptr);
  return options;
}

// In the forked child: runs Chromium (either of its names) with its output dropped; exit 127 when
// there is none.
[[noreturn]] void exec_chromium(std::vector<const char*>& args) {
  const int null = open("/dev/null", O_WRONLY);
  if (null >= 0) dup2(null, 1), dup2(null, 2);
  for (const char* exe : {"chromium", "chromium-browser"}) {
    args[0] = exe;
    execvp(exe, const_cast<char* const*>(args.data()));
  }
  _exit(127);
}

// The old way: one Chromium run that loads and prints the page.
bool print_by_command(const std::string& url, const std::string& tmp, std::string& message) {
  const std::string out = "--print-to-pdf=" + tmp;
  auto args = chromium_args({"--no-pdf-header-footer", "--print-to-pdf-no-header", out.c_str(), url.c_str()});
  const pid_t pid = fork();
  if (pid == 0) exec_chromium(args);
  if (pid < 0) return message = "cannot start chromium", false;
  int status = 0;
  for (const double end = now() + kPrintSeconds; waitpid(pid, &status, WNOHANG) == 0;) {
    if (now() > end) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return message = "chromium did not finish printing within 2 minutes", false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::error_code ec;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(tmp, ec) || fs::file_size(tmp, ec) == 0) {
    message = WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "chromium is not installed (Debian package chromium)"
                                                               : "chromium could not print the report";
    return false;
  }
  return true;
}

}  // namespace

PdfPrinter::~PdfPrinter() { stop(); }

void PdfPrinter::start() {
  int commands[2], replies[2];
  if (pipe2(commands, O_CLOEXEC) != 0) return;
  if (pipe2(replies, O_CLOEXEC) != 0) {
    close(commands[0]), close(commands[1]);
    return;
  }
  signal(SIGPIPE, SIG_IGN);  // a Chromium that died makes writes fail, not the program
  auto args = chromium_args({"--remote-debugging-pipe", "about:blank"});
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);  // its own group: stop() ends Chromium's helper processes with it
    // Out of the way of 3 and 4 first, then onto them (dup2 clears close-on-exec).
    const int in = fcntl(commands[0], F_DUPFD, 10), out = fcntl(replies[1], F_DUPFD, 10);
    dup2(in, 3), dup2(out, 4);
    exec_chromium(args);
  }
  close(commands[0]), close(replies[1]);
  if (pid < 0) {
    close(commands[1]), close(replies[0]);
    return;
  }
  pid_ = pid, to_ = commands[1], from_ = replies[0];
}

void PdfPrinter::stop() {
  if (to_ >= 0) close(to_);
  if (from_ >= 0) close(from_);
  to_ = from_ = -1;
  if (pid_ > 0) {
    int status;
    // After Browser.close it ends by itself; else, or after a second, it and its helpers are ended.
    for (const double end = now() + (closing_ ? 1 : 0); waitpid(pid_, &status, WNOHANG) == 0;) {
      if (now() > end) {
        kill(-pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(-pid_, SIGKILL);  // helpers left behind
  }
  pid_ = -1;
}

bool PdfPrinter::send(int id, const std::string& method, const std::string& params, const std::string& session) {
  std::string m = "{\"id\":" + std::to_string(id) + ",\"method\":\"" + method + "\",\"params\":" + params;
  if (!session.empty()) m += ",\"sessionId\":" + json_string(session);
  m += "}";
  m += '\0';
  for (std::size_t done = 0; done < m.size();) {
    const ssize_t n = write(to_, m.data() + done, m.size() - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool PdfPrinter::await(int id, std::string& reply, const char* event) {
  const std::string mine = "{\"id\":" + std::to_string(id) + ",";
  const std::string wanted = event ? std::string("\"method\":\"") + event + "\"" : "";
  bool replied = false, seen = event == nullptr;
  while (!replied || !seen) {
    std::size_t end;
    while ((end = buffer_.find('\0')) == std::string::npos) {
      const double left = deadline_ - now();
      if (left <= 0) return false;
      pollfd p{from_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left * 1000) + 1) <= 0) return false;
      char chunk[1 << 16];
      const ssize_t n = read(from_, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(n));
      if (buffer_.size() > (std::size_t(1) << 31)) return false;  // no PDF is that large
    }
    std::string message = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    if (message.compare(0, mine.size(), mine) == 0) {
      if (message.find("\"error\":") != std::string::npos && message.find("\"result\":") == std::string::npos)
        return false;
      reply = std::move(message), replied = true;
    } else if (!seen && message.find(wanted) != std::string::npos) {
      seen = true;
    }
  }
  return true;
}

bool PdfPrinter::print_over_pipe(const std::string& url, const std::string& tmp) {
  if (pid_ <= 0) return false;
  deadline_ = now() + kPrintSeconds;
  std::string reply;
  if (!send(1, "Target.createTarget", "{\"url\":\"about:blank\"}") || !await(1, reply)) return false;
  const std::string target = field(reply, "targetId");
  if (target.empty() || !send(2, "Target.attachToTarget", "{\"targetId\":" + json_string(target) + ",\"flatten\":true}") ||
      !await(2, reply))
    return false;
  const std::string session = field(reply, "sessionId");
  if (session.empty() || !send(3, "Page.enable", "{}", session) || !await(3, reply)) return false;
  if (!send(4, "Page.navigate", "{\"url\":" + json_string(url) + "}", session) ||
      !await(4, reply, "Page.loadEventFired"))
    return false;
  // The same page as `chromium --headless --print-to-pdf --no-pdf-header-footer` prints.
  if (!send(5, "Page.printToPDF", "{\"printBackground\":true,\"displayHeaderFooter\":false}", session) ||
      !await(5, reply))
    return false;
  std::string pdf;
  if (!base64_decode(field(reply, "data"), pdf) || pdf.compare(0, 5, "%PDF-") != 0) return false;
  closing_ = send(6, "Browser.close", "{}");
  std::ofstream f(tmp, std::ios::binary);
  f.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
  f.close();
  return static_cast<bool>(f);
}

bool PdfPrinter::print(const fs::path& html, std::string& message) {
  const fs::path pdf = html.parent_path() / "report.pdf";
  const std::string tmp = walkshed::temp_path_for(pdf.string());
  const std::string url = "file://" + fs::absolute(html).string();
  std::error_code ec;
  const bool piped = print_over_pipe(url, tmp);
  stop();
  if (!piped && !print_by_command(url, tmp, message)) {
    fs::remove(tmp, ec);
    return false;
  }
  fs::rename(tmp, pdf, ec);
  if (ec) return fs::remove(tmp, ec), message = "cannot move the PDF into place", false;
  walkshed::note_written(pdf.string(), {pdf.string()});
  message = pdf.string();
  return true;
}

}  // namespace cli
