Evil = type("Evil", (object,), {"__init_subclass__": lambda cls: None})
