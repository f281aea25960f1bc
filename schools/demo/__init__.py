"""The schools' demo data, run by bureau.demo (which describes the protocol).

- geography.py: 江苏's cities and districts, the scales, the school years;
- names.py and plans.py: the schools of a district, their classes and resource factors;
- rows.py: statistics, teachers and training of one school;
- generator.py: the generator that writes them, district by district, and deletes them.
"""

from schools.demo.generator import generator

__all__ = ["generator"]
