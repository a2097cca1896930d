"""The HTML report: `builder` aggregates the orders into `model`, `charts` draws them with
matplotlib, `page` fills the Jinja2 template. Imported only by the `report` command."""
