"""Everything Rich: the terminal and the views of orders, plans and checklists."""
