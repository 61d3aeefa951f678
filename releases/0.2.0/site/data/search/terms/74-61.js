NC.data("search/terms/74-61",{"talents":[171,213,274],"talk":[132,200,276],"tasks":[30,36]});
