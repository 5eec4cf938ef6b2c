// report.pdf printed from report.html by headless Chromium (Debian `chromium`). Chromium is started
// before the study runs and driven over its DevTools pipe (--remote-debugging-pipe), so that its
// start-up overlaps the study's work; where that fails, it is run once more with --print-to-pdf.
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace cli {

class PdfPrinter {
 public:
  PdfPrinter() = default;
  PdfPrinter(const PdfPrinter&) = delete;
  PdfPrinter& operator=(const PdfPrinter&) = delete;
  ~PdfPrinter();  // stops Chromium if it still runs

  // Starts Chromium in the background (nothing happens when it cannot: print() then runs it itself).
  void start();
  // Prints `html` to report.pdf beside it, under a temporary name first. False with a message when no
  // PDF could be made; true with the PDF's path in `message`.
  bool print(const std::filesystem::path& html, std::string& message);

 private:
  bool print_over_pipe(const std::string& url, const std::string& tmp);
  bool send(int id, const std::string& method, const std::string& params, const std::string& session = "");
  // Reads messages until the reply to `id` (and, when given, the event `event`) came; false on error,
  // an error reply or the deadline.
  bool await(int id, std::string& reply, const char* event = nullptr);
  void stop();

  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;  // our ends of Chromium's fds 3 (commands) and 4 (replies)
  std::string buffer_;
  double deadline_ = 0;  // steady-clock seconds
  bool closing_ = false;  // Browser.close sent
};

}  // namespace cli
