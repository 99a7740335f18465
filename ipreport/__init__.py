"""ipreport: assess Chinese IP plan targets against statistics and write the yearly report."""

__version__ = "0.1.0"
