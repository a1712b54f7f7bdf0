"""The public pages, for the permission matrix (web/tests): open to everyone by design."""

# Route -> the tables a post may write even when it is refused: the per-address counter
# counts every post (a refused one too, or codes could be tried without end).
PUBLIC_ROUTES = {
    "public:write_in": ("public_hit",),
    "public:status": ("public_hit",),
    "public:done": (),
    "public:challenge": (),
    "public:challenge_new": (),
}
