x = input("password: ")
