// The email plugin: email.smtp (destination) and email.imap (source).
#include <ferry/plugin.hpp>

#include "imap_source.hpp"
#include "smtp_sender.hpp"

FERRY_PLUGIN("email", "1.0.0", "Email: an SMTP sender (destination) and an IMAP reader (source)",
             ferry::component<ferry::email::SmtpSender>(), ferry::component<ferry::email::ImapSource>());
