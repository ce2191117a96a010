"""Articles from the web, fetched only when a user asks (File → Import from feed or links…,
``assay-cli import PROJECT URL|FEED.xml|links.txt``).

``fetch`` is the only module of Assay that opens a network connection (a test reads the
source to keep it so); ``sources`` reads what the user gave (URLs, a feed file, a list of
links), ``feeds`` reads a feed's entries, ``pages`` turns a fetched page into an article
with the HTML reader file imports use, and ``web_import`` runs the whole import and says,
in one set of lines the window and the CLI both show, what became of each URL.
"""
