#include "reader.hpp"

#include <ferry/template/template.hpp>

#include <cerrno>
#include <chrono>

#include "archive.hpp"
#include "posix_io.hpp"

namespace ferry::file {

namespace {

// Errors that say "this file cannot be read by us" rather than "try later".
bool unreadable(int code) { return code == EACCES || code == EPERM; }

}  // namespace

ReaderSettings ReaderSettings::from(const ferry::Config& c) {
  ReaderSettings s;
  s.directory = absolute_path(c.string("directory"));
  s.pattern = c.string("pattern", "*");
  s.poll_interval_ms = c.integer("poll_interval_ms", 1000);
  s.own_timer = c.boolean("own_timer", true);
  s.done_directory = absolute_path(c.string("done_directory"));
  s.error_directory = absolute_path(c.string("error_directory"));
  s.content_type = c.string("content_type", "text/plain");
  s.min_age_ms = c.integer("min_age_ms", 500);
  s.max_file_size = c.integer("max_file_size", int64_t{64} << 20);
  s.max_in_flight = c.integer("max_in_flight", 100);
  // Moving a file into the directory it came from would feed it back in
  // forever under ever new names.
  if (s.done_directory == s.directory)
    throw ferry::Error("done_directory must differ from directory (" + s.directory + ")");
  if (s.error_directory == s.directory)
    throw ferry::Error("error_directory must differ from directory (" + s.directory + ")");
  return s;
}

Reader::Reader(ferry::Instance self, const ferry::Config& c) : Source(self), settings_(ReaderSettings::from(c)) {}

void Reader::start() {
  if (!settings_.own_timer) {
    self().info("own_timer is false: " + settings_.directory + " is scanned only when the channel's schedule polls");
    return;
  }
  // First scan at once: a file needs two scans to prove it is complete, so
  // the clock for files already waiting starts now.
  timer_id_ = timer(0, static_cast<uint64_t>(settings_.poll_interval_ms), [this] { scan(); });
  if (timer_id_ == 0) throw ferry::Error("the host refused to start the scan timer");
}

void Reader::stop() {
  stopping_ = true;
  // The host cancels an instance's timers before stop() already, and ignores
  // unknown ids; cancelling here too keeps the reader from depending on that.
  if (timer_id_ != 0) cancel_timer(timer_id_);
  timer_id_ = 0;
}

void Reader::poll() { scan(); }

void Reader::scan() {
  // The own timer and the channel's schedule may fire together on two host
  // threads; one scan at a time is enough, the other just skips.
  std::unique_lock scanning(scan_mutex_, std::try_to_lock);
  if (!scanning.owns_lock() || stopping_) return;

  std::vector<Entry> listing;
  try {
    listing = list_directory(settings_.directory, settings_.pattern);
  } catch (const SysError& e) {
    if (directory_error_ != e.code) self().error(std::string(e.what()) + " (will keep trying)");
    directory_error_ = e.code;
    return;
  }
  if (directory_error_) self().info(settings_.directory + " is readable again");
  directory_error_.reset();

  std::vector<Entry> eligible;
  {
    std::lock_guard lock(mutex_);
    eligible = tracker_.observe(listing, std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count(), settings_.min_age_ms * 1000000,
                                static_cast<size_t>(settings_.max_in_flight));
  }
  for (const Entry& e : eligible)
    if (stopping_ || !take(e)) break;
}

bool Reader::take(const Entry& e) {
  const std::string path = join(settings_.directory, e.name);
  if (e.id.size > settings_.max_file_size) {
    reject(e.name, e.id,
           "file is " + std::to_string(e.id.size) + " bytes, more than max_file_size " +
               std::to_string(settings_.max_file_size));
    return true;
  }
  FileContent content;
  try {
    content = read_file(path, settings_.max_file_size);
  } catch (const SysError& e2) {
    if (unreadable(e2.code)) {
      reject(e.name, e.id, e2.what());
    } else if (e2.code != ENOENT && e2.code != EINVAL && e2.code != ELOOP) {
      // EIO, EMFILE...: nothing wrong with the file as far as we know.
      self().warn(std::string(e2.what()) + "; will try again");
    }
    // ENOENT/EINVAL/ELOOP: it vanished or was swapped for a non-file since
    // the listing; the next listing sees what is there now.
    return true;
  }
  if (content.changed || !(content.id == e.id)) {
    // Written to since it was judged stable: judge it again from scratch.
    std::lock_guard lock(mutex_);
    tracker_.forget(e.name);
    return true;
  }

  ferry::Message m = ferry::Message::create(content.bytes, settings_.content_type);
  m.set_meta("filename", e.name);
  m.set_meta("path", path);
  m.set_meta("size", std::to_string(e.id.size));
  m.set_meta("mtime", ferry::tmpl::iso8601(std::chrono::system_clock::time_point(
                                std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(e.id.mtime_ns)))));
  {
    // Before emit(): the completion may run on another thread before emit()
    // even returns, and must find the file marked.
    std::lock_guard lock(mutex_);
    tracker_.begin(e.name);
    self().gauge("files_in_flight", static_cast<int64_t>(tracker_.in_flight()));
  }
  const std::string name = e.name;
  const Identity id = e.id;
  const ferry_status_t s = emit(m, [this, name, id](ferry::EmitResult r) { completed(name, id, r); });
  if (s == FERRY_OK) {
    self().count("files_emitted");
    self().debug("emitted " + path + " (" + std::to_string(id.size) + " bytes)");
    return true;
  }
  {
    std::lock_guard lock(mutex_);
    tracker_.end(name);
    self().gauge("files_in_flight", static_cast<int64_t>(tracker_.in_flight()));
  }
  // Not taken: the file stays and a later scan offers it again.
  if (s == FERRY_RETRY) self().debug("channel busy; " + e.name + " and the rest wait for the next scan");
  else if (s != FERRY_STOPPING) self().error("emit refused " + path + " with status " + std::to_string(s));
  return false;
}

// OK, FILTERED and ERROR all mean the message is committed to the channel's
// store; which of them arrives depends on the channel's response.when
// ("stored" answers OK before the transformers run). RETRY: not stored.
void Reader::completed(const std::string& name, const Identity& id, const ferry::EmitResult& r) {
  const std::string path = join(settings_.directory, name);
  if (r.status == FERRY_OK || r.status == FERRY_FILTERED) {
    self().count(r.status == FERRY_OK ? "files_done" : "files_filtered");
    if (unchanged(name, id)) {
      try {
        if (settings_.done_directory.empty()) {
          delete_file(settings_.directory, name);
          self().debug("deleted " + path + " (message " + std::to_string(r.message_id) + ")");
        } else {
          const std::string to = archive_file(settings_.directory, name, settings_.done_directory);
          self().debug("moved " + path + " to " + to + " (message " + std::to_string(r.message_id) + ")");
        }
      } catch (const SysError& e) {
        // Taking it again would deliver it twice; leave it for a human.
        self().error(std::string("message ") + std::to_string(r.message_id) + " was taken, but " + e.what() +
                     "; the file is left in place and not read again until it changes");
        park(name, id);
      }
    }
  } else if (r.status == FERRY_ERROR) {
    self().count("files_rejected");
    if (unchanged(name, id))
      reject(name, id, "the channel rejected it: " + std::string(r.error.empty() ? "(no reason given)" : r.error));
  } else {
    // FERRY_RETRY (and anything newer): not taken; the next scan offers it.
    self().count("files_retried");
    self().debug(path + " not taken (" + std::string(r.error) + "); will try again");
  }
  std::lock_guard lock(mutex_);
  tracker_.end(name);
  self().gauge("files_in_flight", static_cast<int64_t>(tracker_.in_flight()));
}

void Reader::reject(const std::string& name, const Identity& id, const std::string& reason) {
  const std::string path = join(settings_.directory, name);
  if (!settings_.error_directory.empty()) {
    try {
      const std::string to = archive_file(settings_.directory, name, settings_.error_directory);
      self().warn(path + ": " + reason + "; moved to " + to);
      return;
    } catch (const SysError& e) {
      self().error(path + ": " + reason + "; could not move it to error_directory: " + e.what() +
                   "; left in place and not read again until it changes");
      park(name, id);
      return;
    }
  }
  self().warn(path + ": " + reason + "; left in place and not read again until it changes");
  park(name, id);
}

bool Reader::unchanged(const std::string& name, const Identity& id) const {
  const std::string path = join(settings_.directory, name);
  Identity now;
  bool regular = false;
  if (!identity_of(path, now, regular)) {
    const int err = errno;
    if (err == ENOENT) self().warn(path + " was removed by someone else while its message was in flight");
    else self().warn("cannot stat " + path + ": " + errno_text(err) + "; left for the next scan");
    return false;
  }
  if (regular && now == id) return true;
  // Replaced or rewritten while in flight: what is there now was never sent,
  // so it must not be moved or removed; it is read again as a new file.
  self().warn(path + " changed while its message was in flight; left for the next scan");
  return false;
}

void Reader::park(const std::string& name, const Identity& id) {
  std::lock_guard lock(mutex_);
  tracker_.park(name, id);
}

}  // namespace ferry::file
