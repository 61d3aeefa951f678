NC.data("search/terms/64-69",{"dialogue":[188,278],"did":[99,127,279,280],"difference":[144],"difficult":[181,276],"discuss":[45,204,277],"displaced":[213,280]});
