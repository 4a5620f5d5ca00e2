"""End-to-end tests: real `bellhop` processes over real HTTP and SMTP."""
