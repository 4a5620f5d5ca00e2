"""The outside services Bellhop talks to: Google, ngrok."""
