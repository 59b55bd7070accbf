"""The opinion map: statements people agree or disagree with, and the groups their votes form."""
