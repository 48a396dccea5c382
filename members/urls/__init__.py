"""members has two page areas: the public directory and the member's own /me/ pages."""
