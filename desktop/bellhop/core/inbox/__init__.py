"""From the socket to the stored event and its answer."""
