"""The supply-chain map (issue 27): the corpus's approved relations as one graph of
countries, organisations and minerals, kept with every write (``core.chain.kept``), read
(``core.chain.graph``), laid out in stages (``core.chain.layout``), drawn
(``core.chain.figure``) and written as GraphML, GEXF, SVG or text (``core.chain.files``)."""
