"""Team work: handing out, merging, agreement and adjudication."""
