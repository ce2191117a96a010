"""Teams: hand out copies, merge them back as reviewers' versions, measure agreement.

A desktop tool with a local file: a team works offline on copies of the project and merges
them back; nothing needs a server. ``assign`` makes the copies, ``merge`` reads them back
(as untrusted input), ``agreement`` compares the versions.
"""
