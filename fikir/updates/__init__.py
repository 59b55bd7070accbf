"""'You said, we did': staff tell the people who raised a topic what was decided or done."""
