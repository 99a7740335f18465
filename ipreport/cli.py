def main(**kw):
    print("stub")
