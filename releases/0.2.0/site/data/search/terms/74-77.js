NC.data("search/terms/74-77",{"two":[30,106,269,273,274]});
