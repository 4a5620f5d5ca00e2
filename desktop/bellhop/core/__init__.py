"""Qt-free heart of Bellhop: rules, store, engine, receiver, templates, secrets."""
