"""The staff workspace, channel-neutral: a topic per customer with its lifecycle
(:mod:`.desk`), staff commands in a topic (:mod:`.commands`), the FAQ that staff teach
(:mod:`.faq`) and /stats (:mod:`.stats`). A connector (Telegram forum topics) stays thin:
it creates topics, relays and pairs messages, and renders the replies."""
