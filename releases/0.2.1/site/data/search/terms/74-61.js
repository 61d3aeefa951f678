NC.data("search/terms/74-61",{"talents":[177,219,278],"talk":[131,203,280],"tasks":[30,38]});
