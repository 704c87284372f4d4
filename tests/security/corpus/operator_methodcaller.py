import operator
subs = operator.methodcaller('__subclasses__')(object)
